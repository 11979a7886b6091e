#!/usr/bin/env bash
# End-to-end checks of the Docker layer, run exactly as a user would run the project:
#
#   bash scripts/e2e-docker.sh            (from anywhere; CI runs it from .ci/run)
#
#   0. Docker ready (else ../shared/tools/docker-offline.sh), `make docker-image` builds both images.
#   1. ./generar-compose.sh docker-compose-dev.yaml 5 + make docker-compose-up: every client
#      exits 0, one draw after the last stored batch, winners per agency 2,3,3,2,0, 78,697 rows in
#      the bets file on the volume, no `result: fail` anywhere; wall time up -> last client exit.
#   2. ./validar-echo-server.sh against the running server; scripts/test-echo-validator.sh
#      against stand-in servers.
#   3. Edited server/config.ini and client/config.yaml take effect at the next `up`, no rebuild.
#   4. docker stop -t 10 of a client mid-ingestion, then of the server: shutdown lines, exit 0.
#   5. ./generar-compose.sh docker-compose-dev.yaml 0: the server alone starts and is healthy.
#
# Every wait is bounded. Configuration files and docker-compose-dev.yaml are restored and every
# container/volume it started is removed on exit. Last line: `N passed, M failed`; the exit
# status is non-zero if any check failed.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$root"

DEV=docker-compose-dev.yaml
EXPECTED_ROWS=78697
EXPECTED_WINNERS=(2 3 3 2 0)
CLIENT_TIMEOUT=${E2E_CLIENT_TIMEOUT:-300}   # seconds for the 5 clients to finish

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
cp server/config.ini "$work/config.ini" 2>/dev/null || true
cp client/config.yaml "$work/config.yaml" 2>/dev/null || true
had_dev=0
[ -f "$DEV" ] && cp "$DEV" "$work/dev.yaml" && had_dev=1
logs_pid=

cleanup() {
  [ -n "$logs_pid" ] && kill "$logs_pid" 2>/dev/null
  if docker info >/dev/null 2>&1; then
    "${COMPOSE[@]}" -p tp0 down -v --remove-orphans -t 5 >/dev/null 2>&1 || true
  fi
  [ -f "$work/config.ini" ] && cp "$work/config.ini" server/config.ini
  [ -f "$work/config.yaml" ] && cp "$work/config.yaml" client/config.yaml
  if [ "$had_dev" -eq 1 ]; then cp "$work/dev.yaml" "$DEV"; else rm -f "$DEV"; fi
  rm -f .data/e2e-*
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT TERM

# ---------------------------------------------------------------- helpers
COMPOSE=(docker compose)
pick_compose() {
  if docker compose version >/dev/null 2>&1; then COMPOSE=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1; then COMPOSE=(docker-compose)
  fi
}

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
    sleep 0.5
  done
}

wait_healthy() { # TIMEOUT NAME
  local deadline=$(( $(date +%s) + $1 ))
  while [ "$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$2" 2>/dev/null)" != healthy ]; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}

wait_log() { # TIMEOUT NAME ERE
  local deadline=$(( $(date +%s) + $1 ))
  # (grep reads everything: with pipefail, `grep -q` would SIGPIPE `docker logs` into a failure)
  until docker logs "$2" 2>&1 | grep -E "$3" >/dev/null; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}

iso_to_epoch() { date -d "$1" +%s.%N 2>/dev/null || echo 0; }

bets_rows() { # rows in the bets file on the server's volume, counted by a busybox container
  local vol
  vol=$(docker inspect -f '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}}{{end}}{{end}}' server 2>/dev/null)
  [ -n "$vol" ] || { echo "no-volume"; return; }
  docker run --rm -v "$vol:/v:ro" busybox:latest sh -c 'wc -l < /v/bets.csv' 2>/dev/null | tr -d ' ' || echo "?"
}

down() { # FILE...
  local args=() f
  for f in "$@"; do args+=(-f "$f"); done
  T 60 "${COMPOSE[@]}" "${args[@]}" down -v --remove-orphans -t 10 >/dev/null 2>&1
}

# ---------------------------------------------------------------- 0. Docker and images
say "0. Docker engine and images"
need=0
docker info >/dev/null 2>&1 || need=1
docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1 || need=1
for img in eclipse-temurin:17-jre maven:3.9-eclipse-temurin-17 busybox:latest; do
  docker image inspect "$img" >/dev/null 2>&1 || need=1
done
if [ "$need" -eq 1 ]; then
  offline="$root/../shared/tools/docker-offline.sh"
  if [ -f "$offline" ]; then
    say "preparing Docker with ../shared/tools/docker-offline.sh"
    T 1200 bash "$offline" || { fail "docker: docker-offline.sh failed"; finish; }
  else
    fail "docker: not usable and $offline not found"; finish
  fi
fi
pick_compose
say "engine $(docker version --format '{{.Server.Version}}' 2>/dev/null), compose: ${COMPOSE[*]} $("${COMPOSE[@]}" version --short 2>/dev/null)"
"${COMPOSE[@]}" -p tp0 down -v --remove-orphans -t 5 >/dev/null 2>&1 || true

# `make` is how a user builds; without make, the same commands the Makefile runs.
mk() {
  if [ -z "${E2E_NO_MAKE:-}" ] && command -v make >/dev/null 2>&1; then make "$@"; return; fi
  local sec=()
  [ -f /etc/ssl/certs/java/cacerts ] && sec=(--secret id=maven_truststore,src=/etc/ssl/certs/java/cacerts)
  case $1 in
    docker-image) DOCKER_BUILDKIT=1 docker build "${sec[@]}" -f server/Dockerfile -t server:latest . &&
                  DOCKER_BUILDKIT=1 docker build "${sec[@]}" -f client/Dockerfile -t client:latest . ;;
    docker-compose-up) mk docker-image && { [ -f "$DEV" ] || ./generar-compose.sh "$DEV" 5; } &&
                       "${COMPOSE[@]}" -f "$DEV" up -d ;;
    docker-compose-down) "${COMPOSE[@]}" -f "$DEV" down -v --remove-orphans ;;
  esac
}
run_mk() { # SECONDS TARGET: mk under a timeout
  T "$1" env E2E_NO_MAKE="${E2E_NO_MAKE:-}" bash -c "$(declare -f mk); $(declare -p COMPOSE DEV); mk $2"
}

t0=$(now)
if run_mk 1800 docker-image > "$work/build.log" 2>&1; then
  pass "images: make docker-image built server:latest and client:latest in $(secs "$t0" "$(now)")s"
else
  tail -40 "$work/build.log"
  fail "images: make docker-image failed after $(secs "$t0" "$(now)")s"
  finish
fi

# ---------------------------------------------------------------- 1. full run, 5 agencies
say "1. full run: ./generar-compose.sh $DEV 5 && make docker-compose-up"
./generar-compose.sh "$DEV" 5
t_up=$(now)
if ! run_mk 300 docker-compose-up > "$work/up.log" 2>&1; then
  tail -30 "$work/up.log"
  fail "run5: make docker-compose-up failed"
fi
clients=(client1 client2 client3 client4 client5)
if wait_exited "$CLIENT_TIMEOUT" "${clients[@]}"; then finished=1; else finished=0; fi
t_done=$(now)
codes=""
ok_codes=1
for c in "${clients[@]}"; do
  code=$(exit_code "$c"); codes+="$c=$code "
  [ "$code" = 0 ] || ok_codes=0
done
[ "$finished" -eq 1 ] || ok_codes=0
check "run5 exit codes" "${codes% } (waited $(secs "$t_up" "$t_done")s, limit ${CLIENT_TIMEOUT}s)" test "$ok_codes" -eq 1

# wall time from the server container's start to the last client's exit (docker's own clocks)
srv_start=$(iso_to_epoch "$(docker inspect -f '{{.State.StartedAt}}' server 2>/dev/null)")
last_exit=0
for c in "${clients[@]}"; do
  e=$(iso_to_epoch "$(docker inspect -f '{{.State.FinishedAt}}' "$c" 2>/dev/null)")
  last_exit=$(awk -v a="$last_exit" -v b="$e" 'BEGIN { print (b > a ? b : a) }')
done
say "wall time: make docker-compose-up -> last client exit $(secs "$t_up" "$last_exit")s (server start -> last client exit $(secs "$srv_start" "$last_exit")s)"

docker logs server > "$work/server.log" 2>&1
for c in "${clients[@]}"; do docker logs "$c" > "$work/$c.log" 2>&1; done

n_sorteo=$(grep -c 'action: sorteo | result: success' "$work/server.log")
sorteo_line=$(grep -n 'action: sorteo | result: success' "$work/server.log" | head -1 | cut -d: -f1)
last_batch_line=$(grep -n 'action: apuesta_recibida | result: success' "$work/server.log" | tail -1 | cut -d: -f1)
n_batches=$(grep -c 'action: apuesta_recibida | result: success' "$work/server.log")
sum_bets=$(grep -o 'action: apuesta_recibida | result: success | cantidad: [0-9]*' "$work/server.log" | awk '{ s += $NF } END { print s + 0 }')
check "run5 draw" "sorteo logged $n_sorteo time(s), at line ${sorteo_line:-none}; last of $n_batches apuesta_recibida at line ${last_batch_line:-none}; cantidad sum $sum_bets" \
  test "$n_sorteo" -eq 1 -a "${sorteo_line:-0}" -gt "${last_batch_line:-0}" -a "$sum_bets" -eq "$EXPECTED_ROWS"

got_w=""; ok_w=1
for i in 1 2 3 4 5; do
  k=$(grep -o 'action: consulta_ganadores | result: success | cant_ganadores: [0-9]*' "$work/client$i.log" | tail -1 | awk '{ print $NF }')
  got_w+="${k:-?},"
  [ "${k:-x}" = "${EXPECTED_WINNERS[$((i - 1))]}" ] || ok_w=0
  grep -q "action: loop_finished | result: success | client_id: $i" "$work/client$i.log" || ok_w=0
done
check "run5 winners" "cant_ganadores per agency 1..5 = ${got_w%,} (want 2,3,3,2,0), each client logged loop_finished" test "$ok_w" -eq 1

rows=$(bets_rows)
check "run5 storage" "bets file on the volume holds $rows rows (want $EXPECTED_ROWS)" test "$rows" = "$EXPECTED_ROWS"

fails=$(cat "$work"/server.log "$work"/client*.log | grep -c 'result: fail')
check "run5 no failures" "$fails 'result: fail' lines in server and client logs" test "$fails" -eq 0
[ "$fails" -eq 0 ] || grep -h 'result: fail' "$work"/server.log "$work"/client*.log | head -5

# ---------------------------------------------------------------- 2. echo validator
say "2. ./validar-echo-server.sh against the running server"
t0=$(now)
out=$(T 60 ./validar-echo-server.sh 2>"$work/validator.err"); rc=$?
echo_logged=$(docker logs server 2>&1 | grep -c 'action: receive_message | result: success')
check "validator real server" "'$out' exit $rc in $(secs "$t0" "$(now)")s; server logged $echo_logged receive_message line(s)" \
  test "$out" = "action: test_echo_server | result: success" -a "$rc" -eq 0 -a "$echo_logged" -ge 1
[ "$rc" -eq 0 ] || cat "$work/validator.err"

say "2b. scripts/test-echo-validator.sh (stand-in servers)"
T 180 bash scripts/test-echo-validator.sh > "$work/stand-in.log" 2>&1; rc=$?
sed 's/^/    /' "$work/stand-in.log"
check "validator stand-ins" "$(tail -1 "$work/stand-in.log")" test "$rc" -eq 0

run_mk 120 docker-compose-down >/dev/null 2>&1 || down "$DEV"

# ---------------------------------------------------------------- 3. configuration without rebuild
say "3. edited server/config.ini and client/config.yaml, docker compose up without building"
sed -i -E 's/^([[:space:]]*LOGGING_LEVEL[[:space:]]*=).*/\1 DEBUG/; s/^([[:space:]]*SERVER_LISTEN_BACKLOG[[:space:]]*=).*/\1 17/' server/config.ini
sed -i -E 's/^([[:space:]]*(loop\.)?period:).*/\1 "250ms"/; s/^([[:space:]]*(log\.)?level:).*/\1 "DEBUG"/' client/config.yaml
edited=1
grep -qE '^[[:space:]]*LOGGING_LEVEL[[:space:]]*=[[:space:]]*DEBUG' server/config.ini || edited=0
grep -qE '^[[:space:]]*SERVER_LISTEN_BACKLOG[[:space:]]*=[[:space:]]*17' server/config.ini || edited=0
grep -qE 'period: "250ms"' client/config.yaml || edited=0
grep -qE 'level: "DEBUG"' client/config.yaml || edited=0
port=$(awk -F= '/^[[:space:]]*SERVER_PORT/ { gsub(/[[:space:]]/, "", $2); print $2 }' server/config.ini)
server_img=$(docker image inspect -f '{{.Id}}' server:latest)
client_img=$(docker image inspect -f '{{.Id}}' client:latest)
T 180 "${COMPOSE[@]}" -f "$DEV" up -d > "$work/up2.log" 2>&1 || { tail -20 "$work/up2.log"; }
re_srv="action: config \| result: success \| port: $port \| listen_backlog: 17 \| logging_level: [Dd][Ee][Bb][Uu][Gg]"
re_cli="action: config \| result: success \| client_id: 1 \| .*\| loop_period: 250ms \| log_level: [Dd][Ee][Bb][Uu][Gg]"
wait_log 60 server "$re_srv"; s_ok=$?
wait_log 60 client1 "$re_cli"; c_ok=$?
s_line=$(docker logs server 2>&1 | grep -m1 'action: config' | sed 's/.*action:/action:/')
c_line=$(docker logs client1 2>&1 | grep -m1 'action: config' | sed 's/.*action:/action:/')
same_img=0
[ "$(docker image inspect -f '{{.Id}}' server:latest)" = "$server_img" ] && [ "$(docker image inspect -f '{{.Id}}' client:latest)" = "$client_img" ] && same_img=1
check "config server" "file edited=$edited, server says '$s_line'" test "$edited" -eq 1 -a "$s_ok" -eq 0
check "config client" "client1 says '$c_line'" test "$edited" -eq 1 -a "$c_ok" -eq 0
check "config no rebuild" "server:latest and client:latest image ids unchanged by the up (${server_img:7:12}, ${client_img:7:12})" test "$same_img" -eq 1
down "$DEV"
cp "$work/config.ini" server/config.ini
cp "$work/config.yaml" client/config.yaml

# ---------------------------------------------------------------- 4. SIGTERM
say "4. docker stop -t 10: a client mid-ingestion, then the server"
# A long agency file (agency-1 twenty times over, ~540,000 bets, one bet per batch) keeps
# client1 sending for many seconds (about 20 s here at ~27,000 round trips/s) whatever the
# machine's speed; it is stopped half a second after the server stored its first batch.
big=.data/e2e-big-agency.csv
for _ in $(seq 20); do cat .data/agency-1.csv; done > "$big"
big_rows=$(wc -l < "$big" | tr -d ' ')
stop_file=.data/e2e-stop.yaml
stop_override=.data/e2e-stop.override.yaml
./generar-compose.sh "$stop_file" 1
cat > "$stop_override" <<YAML
services:
  client1:
    environment:
      - CLI_BATCH_MAXAMOUNT=1
    volumes:
      - "$root/$big:/app/.data/agency-1.csv:ro"
YAML
T 180 "${COMPOSE[@]}" -f "$stop_file" -f "$stop_override" up -d > "$work/up4.log" 2>&1 || tail -20 "$work/up4.log"
"${COMPOSE[@]}" -f "$stop_file" -f "$stop_override" logs -f --no-color > "$work/compose4.log" 2>&1 &
logs_pid=$!
wait_log 60 server 'action: apuesta_recibida \| result: success'
sleep 0.5
running_before=$(state client1)
batches_before=$(docker logs server 2>&1 | grep -c 'action: apuesta_recibida | result: success')
t0=$(now)
T 30 docker stop -t 10 client1 >/dev/null
stop_secs=$(secs "$t0" "$(now)")
code=$(exit_code client1)
docker logs client1 > "$work/client1-stop.log" 2>&1
shut=$(grep -icE 'sigterm|shut|clos|stop|terminat' "$work/client1-stop.log")
echo "    client1 last lines:"; tail -4 "$work/client1-stop.log" | sed 's/^/      /'
check "sigterm client" "client1 was '$running_before' after $batches_before stored batches of 1 bet (file: $big_rows bets); stopped in ${stop_secs}s, exit code $code, $shut shutdown line(s)" \
  test "$running_before" = running -a "$code" = 0 -a "$shut" -ge 1

t0=$(now)
T 30 docker stop -t 10 server >/dev/null
stop_secs=$(secs "$t0" "$(now)")
code=$(exit_code server)
docker logs server > "$work/server-stop.log" 2>&1
shut=$(grep -icE 'sigterm|shut|clos|stop|terminat' "$work/server-stop.log")
echo "    server last lines:"; tail -8 "$work/server-stop.log" | sed 's/^/      /'
check "sigterm server" "stopped in ${stop_secs}s, exit code $code, $shut shutdown line(s)" \
  test "$code" = 0 -a "$shut" -ge 1
for _ in $(seq 50); do kill -0 "$logs_pid" 2>/dev/null || break; sleep 0.2; done
kill "$logs_pid" 2>/dev/null; logs_pid=
compose_says=$(grep -E '(client1|server) exited with code' "$work/compose4.log" | tr '\n' ';')
both_zero() { grep -q 'client1 exited with code 0' "$work/compose4.log" && grep -q 'server exited with code 0' "$work/compose4.log"; }
check "sigterm compose" "compose logs: ${compose_says:-nothing}" both_zero
fails=$(cat "$work/server-stop.log" "$work/client1-stop.log" | grep -c 'result: fail')
check "sigterm no failures" "$fails 'result: fail' lines in server and client1 logs" test "$fails" -eq 0
[ "$fails" -eq 0 ] || grep -h 'result: fail' "$work/server-stop.log" "$work/client1-stop.log" | head -5
down "$stop_file" "$stop_override"

# ---------------------------------------------------------------- 5. no agencies
say "5. ./generar-compose.sh $DEV 0: the server alone"
./generar-compose.sh "$DEV" 0
t0=$(now)
T 180 "${COMPOSE[@]}" -f "$DEV" up -d > "$work/up5.log" 2>&1 || tail -20 "$work/up5.log"
wait_healthy 60 server; h=$?
check "server alone" "health '$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' server 2>/dev/null)' $(secs "$t0" "$(now)")s after up; $(docker ps -a --filter label=com.docker.compose.project=tp0 -q | wc -l | tr -d ' ') container(s) in project tp0" \
  test "$h" -eq 0
out=$(T 60 ./validar-echo-server.sh 2>/dev/null)
check "server alone echo" "'$out'" test "$out" = "action: test_echo_server | result: success"
down "$DEV"

finish
