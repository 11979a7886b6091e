#!/usr/bin/env bash
# End-to-end throughput benchmark, native on loopback (make bench). See docs/performance.md.
#
#   scripts/bench.sh [N]        N = how many times each agency file is repeated (default 100:
#                               7,869,700 bets). Then the same run at N=1, timed from the
#                               server's launch (start-up included).
#
# Environment:
#   BENCH_SKIP_N1=1             skip the N=1 start-up run
#   BENCH_CDS=0                 no AppCDS archives (by default one training round creates them,
#                               see make_cds_archives)
#   BENCH_PROFILE=1             record JFR (settings=profile) in the server and every client and
#                               print the top-10 hot methods (top frame of jdk.ExecutionSample)
#                               of the server and of client 1; the figures of such a run are
#                               marked "profiled" (recording costs a little)
#   BENCH_OUT=DIR               where datasets and logs go (default: bench-out/, git-ignored)
#   SERVER_JAVA_OPTS, CLIENT_JAVA_OPTS
#                               JVM flags (default: the ones of the Dockerfiles' ENTRYPOINTs)
#
# Needs bash, coreutils, grep/sed/awk, unzip or python3 or jar (extraction), Java 17; Maven
# only when the jars are missing or older than the sources. Peak RSS: GNU time (%M) when
# /usr/bin/time exists, otherwise VmHWM sampled from /proc/PID/status.
set -euo pipefail

N="${1:-100}"
if ! [[ "$N" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 [N]   (N >= 1, default 100)" >&2
    exit 2
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${BENCH_OUT:-$ROOT/bench-out}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
AGENCIES=5
WINNING_NUMBER=7574
SERVER_JAR="$ROOT/server/target/server.jar"
CLIENT_JAR="$ROOT/client/target/client.jar"
BENCH_JAR="$ROOT/benchmarks/target/benchmarks.jar"

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# ---------------------------------------------------------------- cleanup: only our processes
# "PID PARENT" of every process of the current run not yet reaped: our direct children (time
# wrappers, samplers; PARENT = $$) and the JVMs under a time wrapper (PARENT = the wrapper). The
# list is emptied once a run has waited for all of them, so a pid the kernel has since handed to
# someone else's process is never signalled; a JVM is signalled only while its parent is still
# the wrapper we started.
STARTED=()
ppid_of() { awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$1/stat" 2>/dev/null; }
ours() { local pid="${1% *}" parent="${1#* }"; [[ "$(ppid_of "$pid")" == "$parent" ]]; }
cleanup() {
    local entry sig
    for sig in TERM KILL; do
        for entry in "${STARTED[@]+"${STARTED[@]}"}"; do
            if ours "$entry"; then kill "-$sig" "${entry% *}" 2>/dev/null || true; fi
        done
        if [[ $sig == TERM ]]; then sleep 0.3; fi
    done
    return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'log "bench.sh received SIGTERM: stopping its processes"; exit 143' TERM

# ---------------------------------------------------------------- JVM flags
# The flags between "java" and "-jar" in a Dockerfile's exec-form ENTRYPOINT: its quoted strings
# (a flag may hold commas and '*', e.g. -XX:CompileCommand=...,ch.qos.logback.*::*,10.0).
dockerfile_flags() {
    local line word out=() seen_java=0
    line="$(grep -E '^ENTRYPOINT[[:space:]]*\[' "$1" 2>/dev/null | tail -n1)" || return 1
    while IFS= read -r word; do
        word="${word#\"}"; word="${word%\"}"
        if [[ "$word" == java ]]; then seen_java=1; continue; fi
        [[ "$word" == -jar ]] && break
        ((seen_java)) && out+=("$word")
    done < <(grep -oE '"[^"]*"' <<<"$line")
    ((${#out[@]})) || return 1
    echo "${out[*]}"
}
# JVM options (a string) as words, split on blanks and never expanded as file names.
opts_words() {
    local -n words_out="$1"
    local saved="$-"
    set -f
    # shellcheck disable=SC2206  # split on purpose; globbing is off
    words_out=($2)
    [[ "$saved" == *f* ]] || set +f
}
FLAGS_SOURCE_S="server/Dockerfile ENTRYPOINT"
FLAGS_SOURCE_C="client/Dockerfile ENTRYPOINT"
DEFAULT_SERVER_OPTS="$(dockerfile_flags server/Dockerfile)" || { DEFAULT_SERVER_OPTS="-XX:+UseSerialGC -Xms64m -Xmx256m"; FLAGS_SOURCE_S="built-in default"; }
DEFAULT_CLIENT_OPTS="$(dockerfile_flags client/Dockerfile)" || { DEFAULT_CLIENT_OPTS="-XX:+UseSerialGC -Xms32m -Xmx128m"; FLAGS_SOURCE_C="built-in default"; }
[[ -n "${SERVER_JAVA_OPTS+x}" ]] && FLAGS_SOURCE_S="SERVER_JAVA_OPTS"
[[ -n "${CLIENT_JAVA_OPTS+x}" ]] && FLAGS_SOURCE_C="CLIENT_JAVA_OPTS"
# The images set MALLOC_ARENA_MAX=2 (ENV in both Dockerfiles); do the same natively.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS-$DEFAULT_SERVER_OPTS}"
CLIENT_JAVA_OPTS="${CLIENT_JAVA_OPTS-$DEFAULT_CLIENT_OPTS}"

command -v java >/dev/null || die "java not found (Java 17 needed)"

# ---------------------------------------------------------------- build (only when stale)
# True when $1 is missing or older than any source it is built from.
stale() {
    local jar="$1"; shift
    [[ -f "$jar" ]] || return 0
    [[ -n "$(find "$@" -newer "$jar" -type f -print -quit 2>/dev/null)" ]]
}
CORE_SOURCES=(pom.xml idl codegen/pom.xml codegen/src generated-protocol/pom.xml generated-protocol/src
              server/pom.xml server/src client/pom.xml client/src)
if stale "$SERVER_JAR" "${CORE_SOURCES[@]}" || stale "$CLIENT_JAR" "${CORE_SOURCES[@]}"; then
    command -v mvn >/dev/null || die "server/client jars missing or stale and mvn not found"
    log "building server.jar and client.jar: mvn -q -B clean package -DskipTests"
    mvn -q -B clean package -DskipTests >&2   # clean: see the benchmarks.jar build below
fi
# The wire-bytes counter (ar.loteria.bench.WireBytes) lives in the JMH module (profile bench).
WIRE_METHOD="measured: client's CsvBetSource+BatchAssembler+generated codec (WireBytes)"
if stale "$BENCH_JAR" "${CORE_SOURCES[@]}" benchmarks/pom.xml benchmarks/src; then
    # clean: the compiler does not recompile the benchmarks when only a module they use changed,
    # and a class compiled against an older API fails at run time (NoSuchMethodError).
    log "building benchmarks.jar: mvn -q -B -Pbench clean package -DskipTests -pl benchmarks -am"
    if ! mvn -q -B -Pbench clean package -DskipTests -pl benchmarks -am >&2; then
        log "benchmarks.jar did not build: wire bytes fall back to the formula"
        rm -f "$BENCH_JAR"
    fi
fi
[[ -f "$BENCH_JAR" ]] || WIRE_METHOD="formula: 18+len(first)+len(last) per bet (UTF-8), 13 per batch of 200, 18 per agency"

# ---------------------------------------------------------------- data
SRC="$OUT/data-1"
extract_dataset() {
    local zip="$ROOT/.data/dataset.zip" i missing=0
    for ((i = 1; i <= AGENCIES; i++)); do [[ -s "$SRC/agency-$i.csv" ]] || missing=1; done
    ((missing)) || return 0
    [[ -f "$zip" ]] || die "$zip not found"
    mkdir -p "$SRC"
    log "extracting $zip into $SRC"
    if command -v unzip >/dev/null; then
        unzip -o -q -j "$zip" 'agency-*.csv' -d "$SRC"
    elif command -v python3 >/dev/null; then
        python3 - "$zip" "$SRC" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for name in z.namelist():
        base = os.path.basename(name)
        if base.startswith("agency-") and base.endswith(".csv"):
            with open(os.path.join(sys.argv[2], base), "wb") as out:
                out.write(z.read(name))
PY
    elif command -v jar >/dev/null; then
        (cd "$SRC" && jar xf "$zip" && find . -mindepth 2 -name 'agency-*.csv' -exec mv {} . \;)
    else
        die "need unzip, python3 or jar to extract $zip"
    fi
    for ((i = 1; i <= AGENCIES; i++)); do [[ -s "$SRC/agency-$i.csv" ]] || die "agency-$i.csv not in $zip"; done
}
# data-N/agency-i.csv = N copies of agency-i.csv (reused when the size is already right).
make_dataset() {
    local n="$1" dir="$OUT/data-$1" i k src dst want
    extract_dataset
    ((n == 1)) && { echo "$SRC"; return; }
    mkdir -p "$dir"
    for ((i = 1; i <= AGENCIES; i++)); do
        src="$SRC/agency-$i.csv"; dst="$dir/agency-$i.csv"
        # a file whose last line has no line break gets one, so copies never merge two rows
        if [[ -n "$(tail -c 1 "$src")" ]]; then printf '\r\n' >>"$src"; fi
        want=$(( $(stat -c %s "$src") * n ))
        if [[ -f "$dst" && "$(stat -c %s "$dst")" == "$want" ]]; then continue; fi
        log "building $dst ($n copies)"
        for ((k = 0; k < n; k++)); do cat "$src"; done >"$dst.tmp"
        mv "$dst.tmp" "$dst"
    done
    echo "$dir"
}
rows_of() { grep -c -v -E $'^\r?$' "$1" || true; }
winners_of() { grep -c -E ",${WINNING_NUMBER}"$'\r?$' "$1" || true; }

wire_bytes() { # DATA_DIR -> prints bytes/bet
    local dir="$1" i args=()
    if [[ -f "$BENCH_JAR" ]]; then
        for ((i = 1; i <= AGENCIES; i++)); do args+=("$i=$dir/agency-$i.csv"); done
        java -XX:+UseSerialGC -cp "$BENCH_JAR" ar.loteria.bench.WireBytes -m "${CLI_BATCH_MAXAMOUNT:-200}" "${args[@]}" \
            | sed -n 's/^total .*bytes_per_bet=\([0-9.]*\).*/\1/p'
    else
        LC_ALL=C awk -F, '
            FNR == 1 && NR > 1 { batches += int((rows + 199) / 200); agencies++; rows = 0 }
            /^\r?$/ { next }
            { bytes += 18 + length($1) + length($2); rows++; bets++ }
            END { batches += int((rows + 199) / 200); agencies++;
                  printf "%.2f\n", (bytes + 13 * batches + 18 * agencies) / bets }' "$dir"/agency-*.csv
    fi
}

# ---------------------------------------------------------------- processes
HAVE_TIME=0
[[ -x /usr/bin/time && "${BENCH_NO_GNU_TIME:-0}" != 1 ]] && HAVE_TIME=1   # BENCH_NO_GNU_TIME=1: test the fallback
free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$(( 20000 + RANDOM % 40000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
    die "no free port found"
}
child_of() { # the (single) child pid of $1, waiting up to 5 s for the fork
    local parent="$1" pid
    for _ in $(seq 1 500); do
        pid="$(pgrep -P "$parent" 2>/dev/null | head -n1 || true)"
        if [[ -z "$pid" ]]; then
            pid="$(awk -v p="$parent" '$4 == p { print $1; exit }' /proc/[0-9]*/stat 2>/dev/null || true)"
        fi
        [[ -n "$pid" ]] && { echo "$pid"; return; }
        kill -0 "$parent" 2>/dev/null || return 1
        sleep 0.01
    done
    return 1
}
# launch NAME LOGFILE RSSFILE cmd... ; sets LAUNCH_WAIT (pid to wait for) and LAUNCH_JVM (the JVM)
launch() {
    local name="$1" logf="$2" rssf="$3"; shift 3
    if ((HAVE_TIME)); then
        /usr/bin/time -f "%M %U %S" -o "$rssf" "$@" >"$logf" 2>&1 &
        LAUNCH_WAIT=$!
        LAUNCH_JVM="$(child_of "$LAUNCH_WAIT")" || LAUNCH_JVM=""
        # the JVM first: cleanup signals it, not the wrapper (GNU time does not forward signals)
        [[ -n "$LAUNCH_JVM" ]] && STARTED+=("$LAUNCH_JVM $LAUNCH_WAIT")
        STARTED+=("$LAUNCH_WAIT $$")
    else
        "$@" >"$logf" 2>&1 &
        LAUNCH_WAIT=$!
        LAUNCH_JVM=$LAUNCH_WAIT
        STARTED+=("$LAUNCH_WAIT $$")
        # VmHWM is the kernel's exact peak RSS; the last sample before exit is kept.
        ( while [[ "$(ppid_of "$LAUNCH_JVM")" == "$$" ]]; do
              v="$(awk '/^VmHWM:/ { print $2 }' "/proc/$LAUNCH_JVM/status" 2>/dev/null)" || true
              [[ -n "$v" ]] && echo "$v" >"$rssf"
              sleep 0.02
          done ) &
        STARTED+=("$! $$")
    fi
}
rss_mb() { # RSSFILE ("KiB [user sys]", last numeric line) -> MB (MiB)
    local v
    v="$(grep -E '^[0-9]+( |$)' "$1" 2>/dev/null | tail -n1 | cut -d' ' -f1 || true)"
    [[ -n "$v" ]] && awk -v k="$v" 'BEGIN { printf "%.1f", k / 1024 }' || echo "n/a"
}
now_ns() { date +%s%N; }
HZ="$(getconf CLK_TCK 2>/dev/null || echo 100)"
# CPU seconds the whole machine spent busy since boot: user+nice+system+steal (irq/softirq left out:
# on loopback most of it is the benchmark's own traffic, not charged to its processes).
machine_busy() { awk -v hz="$HZ" '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $9) / hz; exit }' /proc/stat; }
# CPU seconds (user+sys) a live process has used.
proc_cpu() { awk -v hz="$HZ" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# CPU seconds (user+sys) of an exited process, from its GNU time file.
time_cpu() { grep -E '^[0-9]+ ' "$1" 2>/dev/null | tail -n1 | awk '{ printf "%.2f", $2 + $3 }' || true; }
# jfr_top FILE K: the K most frequent top frames of jdk.ExecutionSample, with their share; then
# the K most frequent "own" frames (the innermost ar.loteria.* method of each sample: where the
# project's code spends, library and JDK callees included).
jfr_top() {
    command -v jfr >/dev/null || { echo "jfr (JDK tool) not found"; return 0; }
    jfr print --stack-depth 64 --events jdk.ExecutionSample "$1" | awk -v k="$2" '
        function clean(f) { sub(/^[ \t]+/, "", f); sub(/[ \t]+line:.*$/, "", f); return f }
        function top(arr, tot, title,   n, i, j, t, keys, f) {
            n = 0
            for (f in arr) keys[++n] = f
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
                if (arr[keys[j]] > arr[keys[i]]) { t = keys[i]; keys[i] = keys[j]; keys[j] = t }
            printf "%s (%d samples)\n", title, tot
            for (i = 1; i <= n && i <= k; i++) printf "  %5.1f%%  %6d  %s\n", 100 * arr[keys[i]] / tot, arr[keys[i]], keys[i]
        }
        /stackTrace = \[/ { depth = 0; own = ""; inside = 1; next }
        inside && /^[ \t]*\]/ { if (own == "") own = "(no ar.loteria frame)"; mine[own]++; inside = 0; next }
        inside && /^[ \t]*\.\.\./ { next }
        inside {
            f = clean($0)
            if (depth++ == 0) { count[f]++; total++ }
            if (own == "" && f ~ /^ar\.loteria\./) own = f
        }
        END {
            top(count, total, "top frame")
            top(mine, total, "innermost ar.loteria frame")
        }'
}

# ---------------------------------------------------------------- class-data sharing (AppCDS)
# Most of a short run is six JVM start-ups. One training round (the server and one client on
# agency 5 of the real data) records the classes each program loads into an archive
# (-XX:ArchiveClassesAtExit); every JVM of the benchmark then maps them (-XX:SharedArchiveFile)
# instead of loading, parsing and verifying them again. Redone when a jar changes.
# BENCH_CDS=0 runs without archives.
make_cds_archives() {
    local cds="$OUT/cds" data port ini spid cpid ready=0
    mkdir -p "$cds"
    if ! stale "$cds/server.jsa" "$SERVER_JAR" && ! stale "$cds/client.jsa" "$CLIENT_JAR"; then
        echo "$cds"; return
    fi
    rm -f "$cds/server.jsa" "$cds/client.jsa"
    data="$(make_dataset 1)"
    port="$(free_port)"
    ini="$cds/config.ini"
    printf '[DEFAULT]\nSERVER_PORT = %s\nSERVER_IP = 127.0.0.1\nSERVER_LISTEN_BACKLOG = 50\nLOGGING_LEVEL = INFO\n' "$port" >"$ini"
    log "AppCDS: training round to create $cds/server.jsa and client.jsa"
    local s_opts c_opts
    opts_words s_opts "$SERVER_JAVA_OPTS"
    opts_words c_opts "$CLIENT_JAVA_OPTS"
    env CONFIG_FILE="$ini" STORAGE_PATH="$cds/bets.csv" AGENCY_COUNT=1 \
        java "${s_opts[@]}" -XX:ArchiveClassesAtExit="$cds/server.jsa" -jar "$SERVER_JAR" >"$cds/server.log" 2>&1 &
    spid=$!; STARTED+=("$spid $$")
    for _ in $(seq 1 3000); do
        grep -q 'action: listen | result: success' "$cds/server.log" 2>/dev/null && { ready=1; break; }
        kill -0 "$spid" 2>/dev/null || break
        sleep 0.01
    done
    ((ready)) || die "AppCDS training: server not listening (see $cds/server.log)"
    env CLI_ID=1 CLI_CONFIG_FILE="$ROOT/client/config.yaml" CLI_SERVER_ADDRESS="127.0.0.1:$port" \
        CLI_DATA_FILE="$data/agency-5.csv" java "${c_opts[@]}" -XX:ArchiveClassesAtExit="$cds/client.jsa" \
        -jar "$CLIENT_JAR" >"$cds/client.log" 2>&1 || die "AppCDS training: client failed (see $cds/client.log)"
    kill -TERM "$spid"; wait "$spid" || die "AppCDS training: server did not stop cleanly (see $cds/server.log)"
    rm -f "$cds/bets.csv"
    [[ -f "$cds/server.jsa" && -f "$cds/client.jsa" ]] || die "AppCDS training produced no archive"
    echo "$cds"
}

# ---------------------------------------------------------------- one run
# run_one N MODE   MODE: warm = wall from the clients' launch (server already listening)
#                        cold = wall from the server's launch (start-up included)
# Appends one row to ROWS and details to DETAILS.
ROWS=()
DETAILS=()
ALL_OK=1
run_one() {
    local n="$1" mode="$2" data dir port i t0 t1 wall
    data="$(make_dataset "$n")"
    dir="$OUT/run-$(date +%Y%m%d-%H%M%S)-N$n-$mode"
    mkdir -p "$dir"
    port="$(free_port)"
    local expected=0 exp_w=() r w
    for ((i = 1; i <= AGENCIES; i++)); do
        r="$(rows_of "$data/agency-$i.csv")"; w="$(winners_of "$data/agency-$i.csv")"
        expected=$((expected + r)); exp_w+=("$w")
    done

    cat >"$dir/config.ini" <<EOF
[DEFAULT]
SERVER_PORT = $port
SERVER_IP = 127.0.0.1
SERVER_LISTEN_BACKLOG = 50
LOGGING_LEVEL = INFO
EOF
    local load_before; load_before="$(loadavg)"
    local busy0 busy1 srv_cpu0 srv_cpu1
    log "N=$n ($mode): $expected bets, port $port, logs in $dir (load $load_before)"
    sync
    local server_env=(env CONFIG_FILE="$dir/config.ini" STORAGE_PATH="$dir/bets.csv" AGENCY_COUNT="$AGENCIES")
    local client_env=(env CLI_CONFIG_FILE="$ROOT/client/config.yaml" CLI_SERVER_ADDRESS="127.0.0.1:$port"
                      CLI_LOG_LEVEL=INFO CLI_LOOP_AMOUNT=50 CLI_LOOP_PERIOD=20ms)
    local s_wait s_jvm c_wait=() c_codes=() s_prof=() c_prof=()
    if [[ "${BENCH_PROFILE:-0}" == 1 ]]; then
        s_prof=("-XX:StartFlightRecording=filename=$dir/server.jfr,settings=profile")
    fi
    local s_opts c_opts
    opts_words s_opts "$SERVER_JAVA_OPTS"
    opts_words c_opts "$CLIENT_JAVA_OPTS"
    t0="$(now_ns)"
    launch server "$dir/server.log" "$dir/server.rss" "${server_env[@]}" java "${s_opts[@]}" "${s_prof[@]+"${s_prof[@]}"}" -jar "$SERVER_JAR"
    s_wait=$LAUNCH_WAIT; s_jvm=$LAUNCH_JVM
    [[ -n "$s_jvm" ]] || die "server did not start (see $dir/server.log)"
    if [[ "$mode" == warm ]]; then
        local ready=0
        for _ in $(seq 1 3000); do
            grep -q 'action: listen | result: success' "$dir/server.log" 2>/dev/null && { ready=1; break; }
            kill -0 "$s_wait" 2>/dev/null || break
            sleep 0.01
        done
        ((ready)) || die "server not listening after 30 s (see $dir/server.log)"
        t0="$(now_ns)"
    fi
    busy0="$(machine_busy)"; srv_cpu0="$(proc_cpu "$s_jvm")"
    [[ "$mode" == cold ]] && srv_cpu0=0
    for ((i = 1; i <= AGENCIES; i++)); do
        if [[ "${BENCH_PROFILE:-0}" == 1 ]]; then
            c_prof=("-XX:StartFlightRecording=filename=$dir/client-$i.jfr,settings=profile")
        fi
        launch "client$i" "$dir/client-$i.log" "$dir/client-$i.rss" \
            "${client_env[@]}" CLI_ID="$i" CLI_DATA_FILE="$data/agency-$i.csv" java "${c_opts[@]}" "${c_prof[@]+"${c_prof[@]}"}" -jar "$CLIENT_JAR"
        c_wait+=("$LAUNCH_WAIT")
    done
    for ((i = 0; i < AGENCIES; i++)); do
        if wait "${c_wait[$i]}"; then c_codes+=(0); else c_codes+=($?); fi
    done
    t1="$(now_ns)"
    busy1="$(machine_busy)"; srv_cpu1="$(proc_cpu "$s_jvm")"
    local load_after; load_after="$(loadavg)"

    # stop the server: SIGTERM to the JVM itself; it must exit 0 within a few seconds
    local s_code=0 early=""
    # (the JVM is signalled only while its parent is still our wrapper: a pid freed by an early
    # exit may already belong to someone else)
    local s_entry="$s_jvm $s_wait"
    ((HAVE_TIME)) || s_entry="$s_jvm $$"
    if ! ours "$s_entry" || grep -q 'action: shutdown' "$dir/server.log"; then
        early="the server stopped before the last client exited (bench.sh had not signalled it)"
    fi
    if ours "$s_entry"; then kill -TERM "$s_jvm" 2>/dev/null || true; fi
    for _ in $(seq 1 1000); do kill -0 "$s_wait" 2>/dev/null || break; sleep 0.01; done
    if kill -0 "$s_wait" 2>/dev/null; then
        log "server did not exit within 10 s of SIGTERM: killing it"
        if ours "$s_entry"; then kill -KILL "$s_jvm" 2>/dev/null || true; fi
    fi
    if wait "$s_wait"; then s_code=0; else s_code=$?; fi
    wait   # samplers, if any
    STARTED=()   # everything of this run is reaped: its pids may be reused by others from now on

    # ---- figures
    wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')"
    local rate; rate="$(awk -v n="$expected" -v w="$wall" 'BEGIN { printf "%.0f", n / w }')"
    local srv_rss; srv_rss="$(rss_mb "$dir/server.rss")"
    local cli_rss="n/a" v
    for ((i = 1; i <= AGENCIES; i++)); do
        v="$(rss_mb "$dir/client-$i.rss")"
        [[ "$v" == n/a ]] && continue
        if [[ "$cli_rss" == n/a ]] || awk -v a="$v" -v b="$cli_rss" 'BEGIN { exit !(a > b) }'; then cli_rss="$v"; fi
    done

    # CPUs used by everything else on the machine while the clients ran (busy CPU seconds of the
    # machine minus the server's and the clients' own, over the wall time)
    local ours="n/a" others="n/a" c
    if ((HAVE_TIME)); then
        ours="$(awk -v a="$srv_cpu0" -v b="$srv_cpu1" 'BEGIN { printf "%.2f", b - a }')"
        for ((i = 1; i <= AGENCIES; i++)); do
            c="$(time_cpu "$dir/client-$i.rss")"
            ours="$(awk -v a="$ours" -v b="${c:-0}" 'BEGIN { printf "%.2f", a + b }')"
        done
        others="$(awk -v b0="$busy0" -v b1="$busy1" -v o="$ours" -v w="$wall" \
                  'BEGIN { x = (b1 - b0 - o) / w; if (x < 0) x = 0; printf "%.2f", x }')"
    fi
    log "N=$n ($mode): counting wire bytes ..."
    local wire; wire="$(wire_bytes "$data")"
    [[ -n "$wire" ]] || wire="n/a"

    # ---- correctness
    local problems=() stored recv sorteos k got
    stored="$(wc -l <"$dir/bets.csv" 2>/dev/null || echo 0)"; stored="${stored// /}"
    recv="$(grep 'action: apuesta_recibida | result: success' "$dir/server.log" \
            | sed -n 's/.*cantidad: \([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')"
    [[ "$stored" == "$expected" ]] || problems+=("bets file has $stored rows, $expected bets sent")
    [[ "$recv" == "$expected" ]] || problems+=("server logged $recv stored bets (apuesta_recibida), expected $expected")
    sorteos="$(grep -c 'action: sorteo | result: success' "$dir/server.log" || true)"
    [[ "$sorteos" == 1 ]] || problems+=("sorteo logged $sorteos times")
    local winners_txt=""
    for ((i = 1; i <= AGENCIES; i++)); do
        k=$((i - 1))
        got="$(sed -n 's/.*action: consulta_ganadores | result: success | cant_ganadores: \([0-9]*\).*/\1/p' "$dir/client-$i.log" | tail -n1)"
        winners_txt+="${winners_txt:+,}${got:-?}"
        [[ "$got" == "${exp_w[$k]}" ]] || problems+=("agency $i: cant_ganadores ${got:-missing}, expected ${exp_w[$k]}")
        [[ "${c_codes[$k]}" == 0 ]] || problems+=("client $i exited ${c_codes[$k]}")
        grep -q "action: loop_finished | result: success | client_id: $i" "$dir/client-$i.log" \
            || problems+=("client $i: no loop_finished success line")
    done
    [[ -z "$early" ]] || problems+=("$early")
    [[ "$s_code" == 0 ]] || problems+=("server exited $s_code after SIGTERM")
    grep -q 'action: shutdown | result: success' "$dir/server.log" || problems+=("server: no shutdown success line")
    local fails; fails="$(grep -l -E 'result: fail|Exception' "$dir"/*.log 2>/dev/null | xargs -r -n1 basename | tr '\n' ' ' || true)"
    [[ -z "$fails" ]] || problems+=("'result: fail' or an exception in: $fails")

    local verdict="yes"
    if ((${#problems[@]})); then verdict="NO"; ALL_OK=0; fi
    local label="N=$n"
    [[ "$mode" == cold ]] && label+=" +startup"
    [[ "${BENCH_PROFILE:-0}" == 1 ]] && label+=" prof"
    ROWS+=("$(printf '| %-13s | %10s | %8s | %10s | %10s | %10s | %8s | %-8s | %-17s | %6s |' \
        "$label" "$expected" "$wall" "$rate" "$srv_rss" "$cli_rss" "$wire" "$verdict" "$load_before" "$others")")
    DETAILS+=("$label: winners per agency ${winners_txt} (expected $(IFS=,; echo "${exp_w[*]}")), sorteo x$sorteos, bets file $stored rows, server exit $s_code, client exits $(IFS=,; echo "${c_codes[*]}"); CPU s used by server+clients during the run $ours; load before $load_before, after $load_after; logs: $dir")
    local p
    for p in "${problems[@]+"${problems[@]}"}"; do DETAILS+=("  PROBLEM: $p"); done
    if [[ "${BENCH_PROFILE:-0}" == 1 ]]; then
        local f
        for f in "$dir/server.jfr" "$dir/client-1.jfr"; do
            [[ -f "$f" ]] || { DETAILS+=("  (no $f: the JVM did not dump its recording)"); continue; }
            DETAILS+=("$label: top 10 methods by CPU samples (top frame, jdk.ExecutionSample) in $(basename "$f"):")
            while IFS= read -r line; do DETAILS+=("    $line"); done < <(jfr_top "$f" 10)
        done
    fi
    rm -f "$dir/bets.csv"   # up to ~400 MB at N=100; its row count is recorded above
}

# ---------------------------------------------------------------- main
log "machine: $(nproc) CPUs, $(java -version 2>&1 | head -n1)"
log "server JVM flags ($FLAGS_SOURCE_S): $SERVER_JAVA_OPTS"
log "client JVM flags ($FLAGS_SOURCE_C): $CLIENT_JAVA_OPTS"
CDS_NOTE="off (BENCH_CDS=0)"
if [[ "${BENCH_CDS:-1}" != 0 ]]; then
    CDS_DIR="$(make_cds_archives)"
    SERVER_JAVA_OPTS="$SERVER_JAVA_OPTS -XX:SharedArchiveFile=$CDS_DIR/server.jsa"
    CLIENT_JAVA_OPTS="$CLIENT_JAVA_OPTS -XX:SharedArchiveFile=$CDS_DIR/client.jsa"
    CDS_NOTE="AppCDS archives from one training round, $CDS_DIR (BENCH_CDS=0: without)"
fi
run_one "$N" warm
if [[ "${BENCH_SKIP_N1:-0}" != 1 ]]; then
    run_one 1 cold
fi

echo
echo "Benchmark $(date '+%Y-%m-%d %H:%M:%S %z') on $(hostname), $(nproc) CPUs; peak RSS by $( ((HAVE_TIME)) && echo '/usr/bin/time %M' || echo '/proc VmHWM sampling')"
echo "code: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$( [[ -n "$(git -C "$ROOT" status --porcelain -- server/src client/src codegen/src generated-protocol/src idl 2>/dev/null)" ]] && echo ' + uncommitted changes in the sources')"
echo "server JVM: $SERVER_JAVA_OPTS   ($FLAGS_SOURCE_S; MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX)"
echo "client JVM: $CLIENT_JAVA_OPTS   ($FLAGS_SOURCE_C)"
echo "wall: N=$N from the clients' launch (server already listening) to the last client's exit; N=1 +startup from the server's launch"
echo "class data sharing: $CDS_NOTE"
echo "wire: $WIRE_METHOD"
echo "server MB / client MB: peak RSS of the server / of the largest client; load: /proc/loadavg before the run;"
echo "others: CPUs busy with other work during the run (machine busy time minus the benchmark's own, / wall)"
echo
printf '| %-13s | %10s | %8s | %10s | %10s | %10s | %8s | %-8s | %-17s | %6s |\n' \
    "run" "bets" "wall s" "bets/s" "server MB" "client MB" "wire B" "correct" "load 1/5/15 min" "others"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "---------------" "------------" "----------" "------------" \
    "------------" "------------" "----------" "----------" "-------------------" "--------"
printf '%s\n' "${ROWS[@]}"
echo
printf '%s\n' "${DETAILS[@]}"
((ALL_OK)) || exit 1
