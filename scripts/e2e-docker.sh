#!/usr/bin/env bash
# End-to-end checks of the Docker layer, run the way a user and the course's tools run it:
#
#   bash scripts/e2e-docker.sh            (from anywhere; CI runs it from .ci/run)
#
#   0. Docker ready (else ../shared/tools/docker-offline.sh); `make docker-image` (plain docker build).
#   1. The real data set: ./generar-compose.sh docker-compose-dev.yaml 5 && make docker-compose-up.
#   2. ./validar-echo-server.sh run as `sh`, `bash` and `./` against the real server; then the
#      validator's own harness against stand-in servers (scripts/test-echo-validator.sh).
#   3. Agency files written as the course's generators write them (short names, documents
#      zero-padded from 00000000, numbers counting up, planted 7574s): one agency smaller than a
#      batch, one agency whose size is no multiple of batch.maxAmount, three agencies, five.
#   4. Crashes: the central killed (SIGKILL) mid-round and started again once an agency has
#      failed an attempt to reach it; an agency killed and started again. The round completes,
#      every bet stored once, one draw.
#   5. Edited server/config.ini and client/config.yaml take effect at the next `up`, no rebuild.
#   6. docker stop of an agency mid-round, then of the central: shutdown lines, exit code 0.
#   7. ./generar-compose.sh docker-compose-dev.yaml 0: the central alone, healthy, answers echoes.
# In every round: each client exits 0, the `cantidad` of apuesta_recibida adds up to the bets
# sent, the winners (counts, and documents as text) are right, one `sorteo`, no `result: fail`,
# and every line of `docker compose logs` passes the log grammar (grammar_check below).
#
# Every wait is bounded. Configuration files and docker-compose-dev.yaml are restored and every
# container and volume it started is removed on exit. Last line: `N passed, M failed`.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$root"

DEV=docker-compose-dev.yaml
REAL_ROWS=78697
REAL_WINNERS=(2 3 3 2 0)
CLIENT_TIMEOUT=${E2E_CLIENT_TIMEOUT:-300}   # seconds for the clients of a round to finish

passed=0; failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
check() { # NAME DETAIL CONDITION...
  local name=$1 detail=$2; shift 2
  if "$@"; then pass "$name: $detail"; else fail "$name: $detail"; fi
}
say() { echo "--- $*"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
T() { if command -v timeout >/dev/null 2>&1; then timeout "$@"; else shift; "$@"; fi; }
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

# ---------------------------------------------------------------- backups and cleanup
work=$(mktemp -d)
gen="$root/.data/e2e-gen"
cp server/config.ini "$work/config.ini"
cp client/config.yaml "$work/config.yaml"
had_dev=0
[ -f "$DEV" ] && cp "$DEV" "$work/dev.yaml" && had_dev=1

cleanup() {
  if docker info >/dev/null 2>&1; then
    docker compose -p tp0 down -v --remove-orphans -t 5 >/dev/null 2>&1 || true
  fi
  cp "$work/config.ini" server/config.ini
  cp "$work/config.yaml" client/config.yaml
  if [ "$had_dev" -eq 1 ]; then cp "$work/dev.yaml" "$DEV"; else rm -f "$DEV"; fi
  rm -rf "$work" "$gen"
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT TERM

# ---------------------------------------------------------------- helpers
state() { docker inspect -f '{{.State.Status}}' "$1" 2>/dev/null || echo missing; }
exit_code() { docker inspect -f '{{.State.ExitCode}}' "$1" 2>/dev/null || echo none; }

wait_exited() { # TIMEOUT NAME...: every named container has exited
  local deadline=$(( $(date +%s) + $1 )) c s all; shift
  while :; do
    all=1
    for c in "$@"; do
      s=$(state "$c")
      [ "$s" = exited ] || [ "$s" = dead ] || all=0
    done
    [ "$all" -eq 1 ] && return 0
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}

wait_log() { # TIMEOUT NAME ERE [COUNT]: the container's log has COUNT (default 1) lines matching ERE
  local deadline=$(( $(date +%s) + $1 )) want=${4:-1}
  until [ "$(docker logs "$2" 2>&1 | grep -cE "$3")" -ge "$want" ]; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}

wait_healthy() { # TIMEOUT NAME
  local deadline=$(( $(date +%s) + $1 ))
  while [ "$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$2" 2>/dev/null)" != healthy ]; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}

storage_file() { # FILE: a file of the central's storage volume, read by a throwaway busybox
  local vol
  vol=$(docker inspect -f '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}}{{end}}{{end}}' server 2>/dev/null)
  [ -n "$vol" ] || return 1
  docker run --rm -v "$vol:/v:ro" busybox:latest cat "/v/$1" 2>/dev/null
}

# The log grammar, as the course's parsers read `docker compose logs`: terminal escapes off (Compose
# 2.26 starts every line with ESC[2K), the source is the text before the first '|', then
# `yyyy-MM-dd HH:mm:ss LEVEL(padded to 8) message`; a message with `action:` is exactly
# `action: NAME | result: success|fail|in_progress` then ` | key: value` details, no other '|',
# no detail key source/action/result. Prints the lines that break it; succeeds when there are none.
grammar_check() { # FILE
  sed -E $'s/\x1b\\[[0-9;?]*[A-Za-z]//g' "$1" | awk '
    {
      bar = index($0, "|")
      if (bar == 0) { print "no source: " $0; bad++; next }
      line = substr($0, bar + 1); sub(/^ /, "", line)
      if (line !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] ((TRACE|DEBUG|ERROR)    |(INFO|WARN)     )[^ ]/) {
        print "format: " $0; bad++; next
      }
      msg = substr(line, 30)
      if (index(line, "action:") == 0) next
      if (msg !~ /^action: [a-z0-9_]+ \| result: (success|fail|in_progress)( \| [a-z0-9_]+: [^|]*)*$/) {
        print "action line: " $0; bad++; next
      }
      rest = msg; sub(/^action: [a-z0-9_]+ \| result: [a-z_]+/, "", rest)
      if (rest ~ /\| (source|action|result): /) { print "reserved key: " $0; bad++ }
    }
    END { exit bad > 0 }'
}

check_logs() { # NAME FILE: no `result: fail` line, and every line passes the log grammar
  local fails
  fails=$(grep -c 'result: fail' "$2")
  check "$1 no failures" "$fails 'result: fail' lines" test "$fails" -eq 0
  [ "$fails" -eq 0 ] || grep 'result: fail' "$2" | head -5
  if grammar_check "$2" > "$work/grammar.out"; then
    pass "$1 log grammar: every one of $(wc -l < "$2" | tr -d ' ') compose log lines reads"
  else
    fail "$1 log grammar: $(wc -l < "$work/grammar.out" | tr -d ' ') lines do not read"; head -5 "$work/grammar.out"
  fi
}

compose_logs() { # FILE... : the logs of the compose project with these files
  local args=() f
  for f in "$@"; do args+=(-f "$f"); done
  docker compose "${args[@]}" logs --no-color 2>&1
}

down() { # FILE...
  local args=() f
  for f in "$@"; do args+=(-f "$f"); done
  T 60 docker compose "${args[@]}" down -v --remove-orphans -t 10 >/dev/null 2>&1
}

# check_round NAME ROWS WINNERS DOCUMENTS LOGFILE CLIENT...: the checks every round passes.
#   WINNERS    expected cant_ganadores per client, comma-separated
#   DOCUMENTS  expected draw record in round.csv ("agency:document" pairs, sorted, space-separated)
check_round() {
  local name=$1 rows=$2 winners=$3 documents=$4 logs=$5; shift 5
  local codes="" ok=1 c i=0 got="" k
  for c in "$@"; do
    codes+="$c=$(exit_code "$c") "
    [ "$(exit_code "$c")" = 0 ] || ok=0
  done
  check "$name exit codes" "${codes% }" test "$ok" -eq 1
  for c in "$@"; do
    k=$(sed -E $'s/\x1b\\[[0-9;?]*[A-Za-z]//g' "$logs" | grep -E "^$c +\|.*action: consulta_ganadores \| result: success" \
        | grep -oE 'cant_ganadores: [0-9]+' | tail -1 | awk '{ print $2 }')
    got+="${k:-?},"
  done
  check "$name winners" "cant_ganadores ${got%,} (want $winners)" test "${got%,}" = "$winners"
  local sum draws stored record
  sum=$(grep -oE 'action: apuesta_recibida \| result: success \| cantidad: [0-9]+' "$logs" | awk '{ s += $NF } END { print s + 0 }')
  draws=$(grep -c 'action: sorteo | result: success' "$logs")
  stored=$(storage_file bets.csv | wc -l | tr -d ' ')
  if [ "$name" = crash ]; then # rows written just before a SIGKILL are stored but never logged
    check "$name bets" "bets.csv holds $stored rows (want $rows); apuesta_recibida logged $sum; $draws sorteo" \
      test "$sum" -le "$rows" -a "$stored" = "$rows" -a "$draws" = 1
  else
    check "$name bets" "cantidad of apuesta_recibida adds up to $sum, bets.csv holds $stored rows (want $rows); $draws sorteo" \
      test "$sum" = "$rows" -a "$stored" = "$rows" -a "$draws" = 1
  fi
  record=$(storage_file round.csv | grep '^draw,' | tr ',' '\n' | tail -n +3 | paste -d: - - | sort | tr '\n' ' ')
  check "$name documents" "draw record: ${record% } (want $documents)" test "${record% }" = "$documents"
  check_logs "$name" "$logs"
}

# ---------------------------------------------------------------- 0. Docker and images
say "0. Docker engine and images"
need=0
docker info >/dev/null 2>&1 || need=1
docker compose version >/dev/null 2>&1 || need=1
for img in eclipse-temurin:17-jre maven:3.9-eclipse-temurin-17 busybox:latest; do
  docker image inspect "$img" >/dev/null 2>&1 || need=1
done
if [ "$need" -eq 1 ]; then
  offline="$root/../shared/tools/docker-offline.sh"
  [ -f "$offline" ] || { fail "docker: not usable and $offline not found"; finish; }
  say "preparing Docker with ../shared/tools/docker-offline.sh"
  T 1200 bash "$offline" || { fail "docker: docker-offline.sh failed"; finish; }
fi
say "engine $(docker version --format '{{.Server.Version}}' 2>/dev/null), compose $(docker compose version --short 2>/dev/null)"
docker compose -p tp0 down -v --remove-orphans -t 5 >/dev/null 2>&1 || true

t0=$(now)
if T 1800 make docker-image > "$work/build.log" 2>&1; then
  pass "images: make docker-image built server:latest and client:latest in $(secs "$t0" "$(now)")s"
else
  tail -40 "$work/build.log"; fail "images: make docker-image failed"; finish
fi
# The base image may set no locale: the JVM would then read environment variables (NOMBRE=Muñoz) as ASCII.
for image in server client; do
  enc=$(docker run --rm --entrypoint java "$image:latest" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *sun.jnu.encoding = //p')
  check "images: $image locale" "the JVM reads environment variables as ${enc:-?}" test "$enc" = UTF-8
done

# ---------------------------------------------------------------- 1. the real data set
say "1. ./generar-compose.sh $DEV 5 && make docker-compose-up (the real data set)"
./generar-compose.sh "$DEV" 5
expected_docs=$(for i in 1 2 3 4 5; do tr -d '\r' < ".data/agency-$i.csv" | awk -F, -v a="$i" '$5 == "7574" { print a ":" $3 }'; done | sort | tr '\n' ' ')
t_up=$(now)
T 300 make docker-compose-up > "$work/up.log" 2>&1 || { tail -20 "$work/up.log"; fail "real: make docker-compose-up failed"; }
clients=(client1 client2 client3 client4 client5)
wait_exited "$CLIENT_TIMEOUT" "${clients[@]}" || fail "real: clients still running after ${CLIENT_TIMEOUT}s"
last_exit=0
for c in "${clients[@]}"; do
  e=$(date -d "$(docker inspect -f '{{.State.FinishedAt}}' "$c")" +%s.%N)
  last_exit=$(awk -v a="$last_exit" -v b="$e" 'BEGIN { print (b > a ? b : a) }')
done
say "make docker-compose-up (images built) -> last client exit: $(secs "$t_up" "$last_exit")s"
compose_logs "$DEV" > "$work/real.log"
check_round real "$REAL_ROWS" "$(IFS=,; echo "${REAL_WINNERS[*]}")" "${expected_docs% }" "$work/real.log" "${clients[@]}"
draw_line=$(grep -n 'action: sorteo | result: success' "$work/real.log" | head -1 | cut -d: -f1)
last_batch=$(grep -n 'action: apuesta_recibida | result: success' "$work/real.log" | tail -1 | cut -d: -f1)
first_sent=$(grep -n 'action: ganadores_enviados' "$work/real.log" | head -1 | cut -d: -f1)
check "real order" "last stored batch at line ${last_batch:-?}, sorteo at ${draw_line:-?}, first winners sent at ${first_sent:-?}" \
  test "${last_batch:-0}" -lt "${draw_line:-0}" -a "${draw_line:-0}" -lt "${first_sent:-0}"

# ---------------------------------------------------------------- 2. the echo validator
say "2. validar-echo-server.sh against the real server, as sh, bash and ./"
for how in "sh validar-echo-server.sh" "bash validar-echo-server.sh" "./validar-echo-server.sh"; do
  t0=$(now)
  out=$(T 60 $how 2>"$work/validator.err"); rc=$?
  check "validator ($how)" "'$out' exit $rc in $(secs "$t0" "$(now)")s" \
    test "$out" = "action: test_echo_server | result: success" -a "$rc" -eq 0
  [ "$rc" -eq 0 ] || cat "$work/validator.err"
done
echoes=$(docker logs server 2>&1 | grep -c 'action: receive_message | result: success')
check "validator served" "the central logged $echoes receive_message lines" test "$echoes" -ge 3
T 120 make docker-compose-down >/dev/null 2>&1 || down "$DEV"

say "2b. scripts/test-echo-validator.sh (stand-in servers named server on tp0_testing_net)"
T 300 sh scripts/test-echo-validator.sh > "$work/stand-in.log" 2>&1; rc=$?
sed 's/^/    /' "$work/stand-in.log"
check "validator stand-ins" "$(tail -1 "$work/stand-in.log")" test "$rc" -eq 0

# ---------------------------------------------------------------- 3. the course's kind of agency files
# gen_file FILE ROWS FIRST_NAME LAST_NAME WINNER_ROWS...: documents %08d from 00000000, birthdate
# 2000-01-01, numbers counting up (never 7574 by chance), 7574 on the listed rows.
gen_file() {
  local file=$1 rows=$2 first=$3 last=$4; shift 4
  awk -v n="$rows" -v f="$first" -v l="$last" -v w=" $* " 'BEGIN {
    for (i = 0; i < n; i++) {
      number = (index(w, " " i " ") > 0) ? 7574 : (i % 7574)
      printf "%s,%s,%08d,2000-01-01,%d\n", f, l, i, number
    }
  }' > "$file"
}

# gen_round NAME ROWS... : one agency per ROWS argument, each its own file (winners planted at
# rows 0 and 7 when it has them: documents 00000000 and 00000007), run through generar-compose.sh
# with an override that mounts the generated files; then the checks of every round.
gen_round() {
  local name=$1; shift
  local n=$# i=0 rows winners="" docs=() total=0 file="$work/$name.yaml" over="$work/$name.override.yaml"
  mkdir -p "$gen"
  ./generar-compose.sh "$file" "$n" 2>/dev/null
  echo "services:" > "$over"
  local cs=()
  for rows in "$@"; do
    i=$((i + 1))
    if [ $((i % 2)) -eq 1 ]; then gen_file "$gen/$name-$i.csv" "$rows" A B 0 7; else gen_file "$gen/$name-$i.csv" "$rows" Name Surname 0 7; fi
    local k=0
    [ "$rows" -gt 0 ] && { k=$((k + 1)); docs+=("$i:00000000"); }
    [ "$rows" -gt 7 ] && { k=$((k + 1)); docs+=("$i:00000007"); }
    winners+="$k,"
    total=$((total + rows))
    cs+=("client$i")
    printf '  client%s:\n    volumes:\n      - "%s:/app/.data/agency-%s.csv:ro"\n' "$i" "$gen/$name-$i.csv" "$i" >> "$over"
  done
  T 180 docker compose -f "$file" -f "$over" up -d > "$work/$name.up" 2>&1 || tail -10 "$work/$name.up"
  wait_exited "$CLIENT_TIMEOUT" "${cs[@]}" || fail "$name: clients still running after ${CLIENT_TIMEOUT}s"
  compose_logs "$file" "$over" > "$work/$name.log"
  check_round "$name" "$total" "${winners%,}" "$(printf '%s\n' "${docs[@]}" | sort | tr '\n' ' ' | sed 's/ $//')" \
    "$work/$name.log" "${cs[@]}"
  cp "$work/$name.log" "$work/last-gen.log"
  down "$file" "$over"
}

say "3. agency files as the course's generators write them"
batch=$(awk '/maxAmount:/ { print $2 }' client/config.yaml)
gen_round small 50
gen_round uneven $((3 * batch + 17))
sizes=$(grep -oE 'action: apuesta_recibida \| result: success \| cantidad: [0-9]+' "$work/last-gen.log" | awk '{ printf "%s,", $NF }')
check "uneven batches" "batches of ${sizes%,} (batch.maxAmount $batch): every one full but the last" \
  test "${sizes%,}" = "$batch,$batch,$batch,17"
gen_round three 300 1000 20
gen_round five 1 8 2000 333 $((2 * batch))

# ---------------------------------------------------------------- 4. crashes
say "4. the central killed mid-round and started again; an agency killed and started again"
crash=$work/crash.yaml
./generar-compose.sh "$crash" 5 2>/dev/null
cat > "$work/crash.override.yaml" <<YAML
services:
  client1:
    environment:
      - CLI_ID=1
      - CLI_BATCH_MAXAMOUNT=5
      - CLI_LOOP_AMOUNT=30
      - CLI_LOOP_PERIOD=200ms
  client2:
    environment:
      - CLI_ID=2
      - CLI_BATCH_MAXAMOUNT=5
      - CLI_LOOP_AMOUNT=30
      - CLI_LOOP_PERIOD=200ms
YAML
T 180 docker compose -f "$crash" -f "$work/crash.override.yaml" up -d > "$work/crash.up" 2>&1 || tail -10 "$work/crash.up"
wait_log 60 server 'action: apuesta_recibida \| result: success' 200 || fail "crash: no batch stored"
retries_before=$(docker logs client5 2>&1 | grep -c 'action: conectar | result: in_progress')
docker kill -s KILL server >/dev/null
docker kill -s KILL client1 >/dev/null
killed_at=$(docker logs server 2>&1 | grep -c 'action: apuesta_recibida | result: success')
# The central comes back only after client5 (default policy: 5 attempts 1 s apart) has lost its
# connection and failed an attempt; its next attempt, a second later, usually finds the name
# unresolvable (the container is still starting), and the one after must look it up again (the
# JVM would keep that failure 10 s, and client5 would give up).
wait_log 30 client5 'action: conectar \| result: in_progress' $((retries_before + 1)) \
  || fail "crash: client5 logged no failed attempt while the central was down"
docker start server >/dev/null
wait_healthy 60 server || fail "crash: the central did not come back"
docker start client1 >/dev/null
wait_exited "$CLIENT_TIMEOUT" client1 client2 client3 client4 client5 || fail "crash: clients still running"
compose_logs "$crash" "$work/crash.override.yaml" > "$work/crash.log"
say "killed after $killed_at stored batches; the central recovered: $(docker logs server 2>&1 | grep 'action: recuperar_ronda' | tail -1 | sed 's/.*action:/action:/')"
check_round crash "$REAL_ROWS" "$(IFS=,; echo "${REAL_WINNERS[*]}")" "${expected_docs% }" "$work/crash.log" "${clients[@]}"
per_agency=$(storage_file bets.csv | cut -d, -f1 | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')
want_agency=$(for i in 1 2 3 4 5; do printf '%s:%s ' "$i" "$(wc -l < ".data/agency-$i.csv" | tr -d ' ')"; done)
check "crash exactly once" "rows per agency ${per_agency% } (want ${want_agency% })" test "$per_agency" = "$want_agency"
down "$crash" "$work/crash.override.yaml"

# ---------------------------------------------------------------- 5. configuration without rebuild
say "5. edited server/config.ini and client/config.yaml, docker compose up without building"
./generar-compose.sh "$DEV" 5
sed -i -E 's/^([[:space:]]*LOGGING_LEVEL[[:space:]]*=).*/\1 DEBUG/; s/^([[:space:]]*SERVER_LISTEN_BACKLOG[[:space:]]*=).*/\1 17/' server/config.ini
sed -i -E 's/^([[:space:]]*period:).*/\1 "250ms"/; s/^([[:space:]]*level:).*/\1 "DEBUG"/' client/config.yaml
port=$(awk -F= '/^[[:space:]]*SERVER_PORT/ { gsub(/[[:space:]]/, "", $2); print $2 }' server/config.ini)
server_img=$(docker image inspect -f '{{.Id}}' server:latest)
client_img=$(docker image inspect -f '{{.Id}}' client:latest)
T 180 docker compose -f "$DEV" up -d > "$work/up5.log" 2>&1 || tail -20 "$work/up5.log"
wait_log 60 server "action: config \| result: success \| port: $port \| listen_backlog: 17 \| logging_level: DEBUG"; s_ok=$?
wait_log 60 client1 "action: config \| result: success \| client_id: 1 \| .*\| loop_period: 250ms \| log_level: DEBUG"; c_ok=$?
check "config server" "$(docker logs server 2>&1 | grep -m1 'action: config' | sed 's/.*action:/action:/')" test "$s_ok" -eq 0
check "config client" "$(docker logs client1 2>&1 | grep -m1 'action: config' | sed 's/.*action:/action:/')" test "$c_ok" -eq 0
same=0
[ "$(docker image inspect -f '{{.Id}}' server:latest)" = "$server_img" ] \
  && [ "$(docker image inspect -f '{{.Id}}' client:latest)" = "$client_img" ] && same=1
check "config no rebuild" "image ids unchanged by the up" test "$same" -eq 1
wait_exited "$CLIENT_TIMEOUT" "${clients[@]}"
compose_logs "$DEV" > "$work/debug.log"
check_logs "config DEBUG" "$work/debug.log"
down "$DEV"
cp "$work/config.ini" server/config.ini
cp "$work/config.yaml" client/config.yaml

# ---------------------------------------------------------------- 6. SIGTERM
say "6. docker stop -t 10: an agency mid-round, then the central"
mkdir -p "$gen"
gen_file "$gen/big.csv" 300000 Name Surname 0
stop=$work/stop.yaml
./generar-compose.sh "$stop" 1 2>/dev/null
cat > "$work/stop.override.yaml" <<YAML
services:
  client1:
    environment:
      - CLI_ID=1
      - CLI_BATCH_MAXAMOUNT=1
    volumes:
      - "$gen/big.csv:/app/.data/agency-1.csv:ro"
YAML
T 180 docker compose -f "$stop" -f "$work/stop.override.yaml" up -d > "$work/up6.log" 2>&1 || tail -20 "$work/up6.log"
wait_log 60 server 'action: apuesta_recibida \| result: success' 100
before=$(state client1)
t0=$(now); T 30 docker stop -t 10 client1 >/dev/null
docker logs client1 > "$work/client1-stop.log" 2>&1
check "sigterm agency" "client1 was '$before'; stopped in $(secs "$t0" "$(now)")s, exit code $(exit_code client1); last line: $(tail -1 "$work/client1-stop.log" | sed 's/.*action:/action:/')" \
  test "$before" = running -a "$(exit_code client1)" = 0 -a "$(grep -c 'action: shutdown | result: success' "$work/client1-stop.log")" -eq 1
t0=$(now); T 30 docker stop -t 10 server >/dev/null
docker logs server > "$work/server-stop.log" 2>&1
check "sigterm central" "stopped in $(secs "$t0" "$(now)")s, exit code $(exit_code server), $(grep -c 'action: close_resource' "$work/server-stop.log") close_resource lines" \
  test "$(exit_code server)" = 0 -a "$(grep -c 'action: shutdown | result: success' "$work/server-stop.log")" -eq 1
compose_logs "$stop" "$work/stop.override.yaml" > "$work/stop.log"
check_logs sigterm "$work/stop.log"
down "$stop" "$work/stop.override.yaml"

# ---------------------------------------------------------------- 7. no agencies
say "7. ./generar-compose.sh $DEV 0: the central alone"
./generar-compose.sh "$DEV" 0
t0=$(now)
T 180 docker compose -f "$DEV" up -d > "$work/up7.log" 2>&1 || tail -20 "$work/up7.log"
wait_healthy 60 server; h=$?
check "central alone" "health '$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' server 2>/dev/null)' $(secs "$t0" "$(now)")s after up" test "$h" -eq 0
out=$(T 60 sh validar-echo-server.sh 2>/dev/null)
check "central alone echo" "'$out'" test "$out" = "action: test_echo_server | result: success"
down "$DEV"

finish
