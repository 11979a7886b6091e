#!/bin/sh
# Benchmarks of the system as users run it (make bench). Native runs use the README's commands:
# server/bin/server, then the five agencies with client/bin/client, on loopback.
#
#   sh scripts/bench.sh [N]      N: the size of the throughput run, in copies of the data set (default 100)
#
#   real data   the five agencies on the real data set, from their launch to the last exit (median of 3)
#   10x data    the same with every agency file ten times over (median of 3)
#   N x data    throughput: bets/s, peak RSS of the central and of the largest agency, rows and winners checked
#   idle 1000   the central's peak RSS while 1,000 connections stay open and silent
#   compose     `make docker-compose-up` with images already built, to the last client's exit (if
#               Docker is ready and the images exist; BENCH_DOCKER=0 skips it)
#
# Needs a POSIX sh, Java 17 or newer (JAVA_HOME, else java on PATH: the JVM the launchers run, whose
# class-data archives are made first when they are missing or older than the jars), unzip (or python3
# or jar); Maven only when the jars are missing. Output and data go to bench-out/ (git-ignored). Each
# run's central gets a new storage directory.
set -eu

n=${1:-100}
case $n in '' | *[!0-9]* | 0) echo "usage: $0 [N]   (N >= 1, default 100)" >&2; exit 2 ;; esac
root=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd -P)
out=$root/bench-out
mkdir -p "$out"
port=${BENCH_PORT:-23450}
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
log() { printf '[bench] %s\n' "$*" >&2; }

[ -f "$root/server/target/server.jar" ] && [ -f "$root/client/target/client.jar" ] || {
  log "building: mvn -B -q package -DskipTests"
  (cd "$root" && mvn -B -q package -DskipTests >&2)
}
# The archives of the JVM the launchers will run (AppCDS on 17..24, the AOT cache on 25+), as a user
# has them after `mvn package` with that JVM: a bench without them would time the JVM's cold start.
. "$root/common/bin/jvm-select.sh"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
for program in server client; do
  jvm_select "$root" "$program"
  if [ -n "$jvm_archive" ] && { [ ! -f "$jvm_archive" ] || [ "$root/$program/target/$program.jar" -nt "$jvm_archive" ]; }; then
    log "making the archives for Java $jvm_version: common/bin/make-jvm-archives"
    sh "$root/common/bin/make-jvm-archives" >&2
    break
  fi
done

# ---------------------------------------------------------------- data
data() { # COPIES: a directory with agency-1..5.csv, each COPIES times the real file
  dir=$out/data-$1
  if [ ! -f "$dir/agency-5.csv" ]; then
    mkdir -p "$out/data-1"
    [ -f "$out/data-1/agency-5.csv" ] || {
      if command -v unzip >/dev/null 2>&1; then unzip -o -q "$root/.data/dataset.zip" -d "$out/data-1"
      elif command -v python3 >/dev/null 2>&1; then python3 -m zipfile -e "$root/.data/dataset.zip" "$out/data-1"
      else (cd "$out/data-1" && jar xf "$root/.data/dataset.zip"); fi
    }
    mkdir -p "$dir"
    for i in 1 2 3 4 5; do
      k=0
      while [ "$k" -lt "$1" ]; do cat "$out/data-1/agency-$i.csv"; k=$((k + 1)); done > "$dir/agency-$i.csv.tmp"
      mv "$dir/agency-$i.csv.tmp" "$dir/agency-$i.csv"
    done
  fi
  echo "$dir"
}

# ---------------------------------------------------------------- one round
central=
stop_central() {
  [ -z "$central" ] || { kill "$central" 2>/dev/null || true; wait "$central" 2>/dev/null || true; }
  central=
}
trap stop_central EXIT
trap 'exit 130' INT TERM

start_central() { # RUN_DIR
  rm -rf "$1"; mkdir -p "$1"
  CONFIG_FILE=$root/server/config.ini SERVER_IP=127.0.0.1 SERVER_PORT=$port BIND_ADDRESS=127.0.0.1 \
    STORAGE_DIR=$1/storage READY_FILE=$1/ready "$root/server/bin/server" > "$1/server.log" 2>&1 &
  central=$!
  tries=0
  while [ ! -s "$1/ready" ]; do
    tries=$((tries + 1))
    [ "$tries" -le 600 ] && kill -0 "$central" 2>/dev/null || { cat "$1/server.log" >&2; exit 1; }
    sleep 0.05
  done
}

peak_rss_kb() { # PID: its peak resident memory (VmHWM), read with the shell alone (this runs 20 times a second)
  while read -r key value unit; do
    [ "$key" = VmHWM: ] && { echo "$value"; return; }
  done < "/proc/$1/status" 2>/dev/null
  echo 0
}

# round RUN_DIR DATA_DIR [rss]: the central up (and settled for a second, as when a user starts it
# first), then the five agencies at once; prints "milliseconds central_peak_kB agency_peak_kB rows winners"
round() {
  start_central "$1"
  sleep 1
  start=$(date +%s%N)
  pids=
  for i in 1 2 3 4 5; do
    CLI_ID=$i CLI_SERVER_ADDRESS=127.0.0.1:$port CLI_CONFIG_FILE=$root/client/config.yaml \
      CLI_DATA_FILE=$2/agency-$i.csv "$root/client/bin/client" > "$1/client-$i.log" 2>&1 &
    pids="$pids $!"
  done
  agency_peak=0
  first=${pids# }; first=${first%% *}
  while [ "${3:-}" = rss ] && kill -0 "$first" 2>/dev/null; do   # agency 1, the largest: its peak RSS
    rss=$(peak_rss_kb "$first"); [ "${rss:-0}" -gt "$agency_peak" ] && agency_peak=$rss
    sleep 0.05
  done
  for pid in $pids; do
    wait "$pid" || { log "an agency failed; see $1/client-*.log"; exit 1; }
  done
  end=$(date +%s%N)
  central_peak=$(peak_rss_kb "$central")
  stop_central
  rows=$(wc -l < "$1/storage/bets.csv" | tr -d ' ')
  winners=$(for i in 1 2 3 4 5; do grep -o 'cant_ganadores: [0-9]*' "$1/client-$i.log" | awk '{ printf "%s,", $2 }'; done)
  echo "$(( (end - start) / 1000000 )) $central_peak $agency_peak $rows ${winners%,}"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

expect() { # COPIES ROWS WINNERS: whether a round's rows and winners are right
  [ "$2" = "$((78697 * $1))" ] && [ "$3" = "$((2 * $1)),$((3 * $1)),$((3 * $1)),$((2 * $1)),0" ]
}

table=$out/bench-$commit.txt
{
  echo "make bench at commit $commit, $(date '+%Y-%m-%d %H:%M'), $(nproc) CPUs, $("$java" -version 2>&1 | grep ' version ' | head -1)"
  printf '%-12s %12s %10s %12s %12s %8s\n' run bets seconds bets/s "central MB" correct
} > "$table"

for copies in 1 10; do
  dir=$(data "$copies")
  times=
  ok=yes
  for r in 1 2 3; do
    set -- $(round "$out/run" "$dir")
    times="$times $1"
    expect "$copies" "$4" "$5" || ok=no
  done
  ms=$(for t in $times; do echo "$t"; done | median)
  log "${copies}x data: launch -> last exit${times} ms"
  awk -v r="${copies}x data" -v b=$((78697 * copies)) -v ms="$ms" -v c="$2" -v ok="$ok" \
    'BEGIN { printf "%-12s %12d %10.3f %12d %12.1f %8s\n", r, b, ms / 1000, b / (ms / 1000), c / 1024, ok }' >> "$table"
done

dir=$(data "$n")
set -- $(round "$out/run" "$dir" rss)
ok=yes; expect "$n" "$4" "$5" || ok=no
awk -v r="${n}x data" -v b=$((78697 * n)) -v ms="$1" -v c="$2" -v ok="$ok" \
  'BEGIN { printf "%-12s %12d %10.3f %12d %12.1f %8s\n", r, b, ms / 1000, b / (ms / 1000), c / 1024, ok }' >> "$table"
log "${n}x data: ${1} ms, central peak RSS $(( $2 / 1024 )) MB, largest agency peak RSS $(( $3 / 1024 )) MB"
agency_mb=$(( $3 / 1024 ))

start_central "$out/run"
"$java" "$root/scripts/IdleConnections.java" 127.0.0.1 "$port" 1000 3 >&2
idle=$(peak_rss_kb "$central")
stop_central
awk -v kb="$idle" 'BEGIN { printf "%-12s %12s %10s %12s %12.1f %8s\n", "idle 1000", "-", "-", "-", kb / 1024, "-" }' >> "$table"

if [ "${BENCH_DOCKER:-1}" = 1 ] && docker info >/dev/null 2>&1 && docker image inspect server:latest client:latest >/dev/null 2>&1; then
  (cd "$root" && docker compose -p tp0 down -v >/dev/null 2>&1; ./generar-compose.sh "$out/compose.yaml" 5 2>/dev/null)
  (cd "$root" && make -s docker-image >/dev/null 2>&1)   # images up to date: the timed `up` builds nothing
  start=$(date +%s.%N)
  (cd "$root" && make -s docker-compose-up COMPOSE_FILE="$out/compose.yaml" >/dev/null 2>&1)
  last=0
  for c in client1 client2 client3 client4 client5; do
    docker wait "$c" >/dev/null
    e=$(date -d "$(docker inspect -f '{{.State.FinishedAt}}' "$c")" +%s.%N)
    last=$(awk -v a="$last" -v b="$e" 'BEGIN { print (b > a ? b : a) }')
  done
  winners=$(for c in client1 client2 client3 client4 client5; do docker logs "$c" 2>&1 | grep -o 'cant_ganadores: [0-9]*' | awk '{ printf "%s,", $2 }'; done)
  (cd "$root" && docker compose -f "$out/compose.yaml" down -v >/dev/null 2>&1)
  awk -v s="$start" -v e="$last" -v ok="$([ "${winners%,}" = 2,3,3,2,0 ] && echo yes || echo no)" \
    'BEGIN { printf "%-12s %12d %10.3f %12d %12s %8s\n", "compose", 78697, e - s, 78697 / (e - s), "-", ok }' >> "$table"
fi

cat "$table"
echo "largest agency peak RSS at ${n}x: ${agency_mb} MB; table saved as $table"
