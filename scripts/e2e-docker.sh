#!/usr/bin/env bash
# End-to-end checks of the Docker layer, run the way a user and the course's tools run it:
#
#   bash scripts/e2e-docker.sh            (from anywhere; CI runs it from .ci/run)
#
#   0. Docker ready (else ../shared/tools/docker-offline.sh); `make docker-image` (plain docker build).
#   1. The course's sequence: rounds back to back in this checkout, each ended as the course's
#      `docker-compose-down` ends it (`docker compose stop`, then `down`, no -v), the next one
#      started with new agency files (the course's generated kind: A,B,{i:08d},2000-01-01,{i},
#      planted 7574s), a new compose file and `up -d`: N=1 with 64 bets; N=1 with 99 bets and
#      batch.maxAmount 10; N=3; N=0 with the echo validator; N=5 with the real data set
#      (`make docker-compose-up`). Each round is new: every session finds 0 stored bets.
#   2. ./validar-echo-server.sh as `sh`, `bash` and `./` against the real server; the storage that
#      plain `down`s left behind, removed by `make docker-compose-down`; the validator's own
#      harness against stand-in servers (scripts/test-echo-validator.sh).
#   3. One round goes on across a SIGKILL of the central and `docker start server`,
#      `docker compose restart server` and `up -d --force-recreate server`, each mid-round, and a
#      SIGKILL of an agency and its `docker start`: every bet stored once, one draw. Then the
#      compose file regenerated for another N mid-round and `up`: the central refuses the round.
#   4. Edited server/config.ini and client/config.yaml take effect at the next `up`, no rebuild.
#   5. docker stop of an agency mid-round, then of the central: shutdown lines, exit code 0.
#   6. STORAGE=postgres: the real data with the ledger in PostgreSQL; the serving central killed
#      mid-round (server or server-standby, whichever took the lock), the other finishes the round:
#      winners right, every bet once, one sorteo.
# In every round: each client exits 0, the `cantidad` of apuesta_recibida adds up to the bets
# sent, the winners (counts, and documents as text) are right, one `sorteo`, no `result: fail`,
# and every line of `docker compose logs` passes the log grammar (grammar_check below).
#
# Every wait is bounded. Configuration files, agency files and docker-compose-dev.yaml are
# restored and every container and volume it started is removed on exit. Last line:
# `N passed, M failed`.
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
mkdir -p "$work/data"
for f in .data/agency-*.csv; do [ -f "$f" ] && cp "$f" "$work/data/"; done

cleanup() {
  if docker info >/dev/null 2>&1; then
    docker compose -p tp0 down -v --remove-orphans -t 5 >/dev/null 2>&1 || true
    sh scripts/remove-stale-rounds.sh >/dev/null 2>&1 || true
  fi
  cp "$work/config.ini" server/config.ini
  cp "$work/config.yaml" client/config.yaml
  if [ "$had_dev" -eq 1 ]; then cp "$work/dev.yaml" "$DEV"; else rm -f "$DEV"; fi
  rm -f .data/agency-*.csv
  for f in "$work"/data/agency-*.csv; do [ -f "$f" ] && cp "$f" .data/; done
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

# The log grammar, as the course's parsers read `docker compose logs`: the one grammar of the log
# contract, ar.loteria.common.LogGrammar (the tests use it too), run by the client image's own JVM
# (no Java needed on the host). It takes terminal escapes off (Compose 2.26 starts every line with
# ESC[2K) and the source before the first '|', then reads `yyyy-MM-dd HH:mm:ss LEVEL message` and
# the `action:` grammar. Prints the lines that break it and a count; succeeds when none does.
grammar_check() { # FILE
  docker run --rm -i --network none --entrypoint java client:latest \
    -cp /opt/loteria/client/target/client.jar ar.loteria.common.LogGrammar --compose < "$1"
}

# The outsiders' addresses (section 1e): their refusals are the failures expected there, and only those.
OUTSIDERS='ip: 172\.25\.125\.20[01] '
check_logs() { # NAME FILE: no `result: fail` line (but the outsiders' refusals), and every line passes the log grammar
  local fails
  fails=$(grep 'result: fail' "$2" | grep -cvE "$OUTSIDERS")
  check "$1 no failures" "$fails 'result: fail' lines" test "$fails" -eq 0
  [ "$fails" -eq 0 ] || grep 'result: fail' "$2" | grep -vE "$OUTSIDERS" | head -5
  if grammar_check "$2" > "$work/grammar.out" 2>&1; then
    pass "$1 log grammar: $(tail -1 "$work/grammar.out") (LogGrammar, every compose log line)"
  else
    fail "$1 log grammar: $(tail -1 "$work/grammar.out")"; head -5 "$work/grammar.out"
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
  check "$name bets" "cantidad of apuesta_recibida adds up to $sum, bets.csv holds $stored rows (want $rows); $draws sorteo" \
    test "$sum" = "$rows" -a "$stored" = "$rows" -a "$draws" = 1
  record=$(storage_file round.csv | grep '^draw,' | tr ',' '\n' | tail -n +3 | paste -d: - - | sort | tr '\n' ' ')
  check "$name documents" "draw record: ${record% } (want $documents)" test "${record% }" = "$documents"
  check_logs "$name" "$logs"
}

# E2E_SECTIONS="1 3" runs only those sections (0 always runs; 1 includes 2).
sections=" ${E2E_SECTIONS:-1 3 4 5 6} "
run_section() { case $sections in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
clients=(client1 client2 client3 client4 client5)

# ---------------------------------------------------------------- 0. Docker and images
say "0. Docker engine and images"
need=0
docker info >/dev/null 2>&1 || need=1
docker compose version >/dev/null 2>&1 || need=1
for img in eclipse-temurin:25-jre maven:3.9-eclipse-temurin-25 busybox:latest postgres:17; do
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
sh scripts/remove-stale-rounds.sh >/dev/null # the storage an interrupted earlier run left behind
# The base image may set no locale: the JVM would then read environment variables (NOMBRE=Muñoz) as ASCII.
for image in server client; do
  enc=$(docker run --rm --entrypoint java "$image:latest" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *sun.jnu.encoding = //p')
  check "images: $image locale" "the JVM reads environment variables as ${enc:-?}" test "$enc" = UTF-8
done

# ---------------------------------------------------------------- the course's kind of agency files
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

# The course's `docker-compose-down`: stop, then down, without -v.
course_down() { # FILE
  T 60 docker compose -f "$1" stop -t 10 >/dev/null 2>&1
  T 60 docker compose -f "$1" down >/dev/null 2>&1
}

# check_new_round NAME N LOGFILE: every session of the round found nothing stored (central and agencies).
check_new_round() {
  local name=$1 n=$2 logs=$3 central agencies
  central=$(grep -E 'action: sesion \| result: success \| agency:' "$logs" | grep -oE 'stored_bets: [0-9]+' | sort | uniq -c | tr -s ' ' | tr '\n' ';')
  agencies=$(grep -E 'action: sesion \| result: success \| client_id:' "$logs" | grep -oE 'stored_bets: [0-9]+' | sort | uniq -c | tr -s ' ' | tr '\n' ';')
  local want="" ; [ "$n" -gt 0 ] && want=" $n stored_bets: 0;"
  check "$name new round" "sessions (central: '${central}', agencies: '${agencies}'), want $n with stored_bets: 0 each" \
    test "$central" = "$want" -a "$agencies" = "$want"
}

# course_round NAME MAX_AMOUNT ROWS...: the course's next round. The last round ends as the course
# ends it; one agency file per ROWS argument is written to .data/ (winners planted at rows 0 and 7
# when it has them: documents 00000000 and 00000007), client/config.yaml gets MAX_AMOUNT, the
# compose file is written again with N agencies, and `docker compose up -d` starts the round.
course_round() {
  local name=$1 max=$2; shift 2
  local n=$# i=0 rows winners="" docs=() total=0 cs=()
  course_down "$DEV"
  rm -f .data/agency-*.csv
  for rows in "$@"; do
    i=$((i + 1))
    if [ $((i % 2)) -eq 1 ]; then gen_file ".data/agency-$i.csv" "$rows" A B 0 7; else gen_file ".data/agency-$i.csv" "$rows" Name Surname 0 7; fi
    local k=0
    [ "$rows" -gt 0 ] && { k=$((k + 1)); docs+=("$i:00000000"); }
    [ "$rows" -gt 7 ] && { k=$((k + 1)); docs+=("$i:00000007"); }
    winners+="$k,"
    total=$((total + rows))
    cs+=("client$i")
  done
  sed -i -E "s/^([[:space:]]*maxAmount:).*/\1 $max/" client/config.yaml
  ./generar-compose.sh "$DEV" "$n" 2>/dev/null
  T 180 docker compose -f "$DEV" up -d > "$work/$name.up" 2>&1 || { tail -10 "$work/$name.up"; fail "$name: up -d failed"; }
  if [ "$n" -gt 0 ]; then
    wait_exited "$CLIENT_TIMEOUT" "${cs[@]}" || fail "$name: clients still running after ${CLIENT_TIMEOUT}s"
  fi
  compose_logs "$DEV" > "$work/$name.log"
  check_new_round "$name" "$n" "$work/$name.log"
  if [ "$n" -gt 0 ]; then
    check_round "$name" "$total" "${winners%,}" "$(printf '%s\n' "${docs[@]}" | sort | tr '\n' ' ' | sed 's/ $//')" \
      "$work/$name.log" "${cs[@]}"
  fi
}

# ---------------------------------------------------------------- 1. the course's sequence
if run_section 1; then
say "1. the course's rounds back to back, each ended with stop + down (no -v)"
batch=$(awk '/maxAmount:/ { print $2 }' "$work/config.yaml")
course_round first-64 "$batch" 64
course_round batches-of-10 10 99
sizes=$(grep -oE 'action: apuesta_recibida \| result: success \| cantidad: [0-9]+' "$work/batches-of-10.log" | awk '{ printf "%s,", $NF }')
check "batches-of-10 batches" "batches of ${sizes%,} (batch.maxAmount 10): every one full but the last" \
  test "${sizes%,}" = "10,10,10,10,10,10,10,10,10,9"
course_round three-agencies "$batch" 300 1000 20
course_round no-agencies "$batch"
wait_healthy 60 server || fail "no-agencies: the central is not healthy"
out=$(T 60 sh validar-echo-server.sh 2>"$work/validator.err"); rc=$?
check "no-agencies echo" "sh validar-echo-server.sh: '$out' exit $rc" test "$out" = "action: test_echo_server | result: success" -a "$rc" -eq 0

say "1e. the real data set: ./generar-compose.sh $DEV 5 && make docker-compose-up"
course_down "$DEV"
rm -f .data/agency-*.csv
cp "$work/config.yaml" client/config.yaml
./generar-compose.sh "$DEV" 5 2>/dev/null # extracts the real agency files again
expected_docs=$(for i in 1 2 3 4 5; do tr -d '\r' < ".data/agency-$i.csv" | awk -F, -v a="$i" '$5 == "7574" { print a ":" $3 }'; done | sort | tr '\n' ' ')
t_up=$(now)
T 300 make docker-compose-up > "$work/up.log" 2>&1 || { tail -20 "$work/up.log"; fail "real: make docker-compose-up failed"; }
# Outsiders on the round's network, while the agencies send: SessionStart and then Finished of
# agency 2, in plain TCP (busybox nc) and in TLS without a certificate (openssl s_client in the
# server image). The plain one must be answered ProtocolError AUTHENTICATION_REQUIRED (0x08, code
# 20), the TLS one only a failed handshake; agency 2 must finish once, by itself.
fp=$(sed -n 's/.*FINGERPRINT = "\([0-9a-f]*\)".*/\1/p' generated-protocol/target/generated-sources/idl/ar/loteria/protocol/LoteriaProtocol.java 2>/dev/null)
fp=${fp:-0000000000000000}
frames="\\012\\000\\000\\000\\030\\000\\000\\000\\020${fp}\\000\\000\\000\\002\\004\\000\\000\\000\\004\\000\\000\\000\\002"
plain=$(T 30 docker run --rm --network tp0_testing_net --ip 172.25.125.200 busybox:latest \
  sh -c "printf '$frames' | nc -w 3 server 12345 | od -An -tx1" 2>/dev/null | tr -d ' \n' | cut -c1-18)
check "outsider plain" "agency 2's SessionStart + Finished in plain TCP answered '$plain' (want 0800...00000014: AUTHENTICATION_REQUIRED)" \
  test "${plain:0:2}${plain:10:8}" = "0800000014"
T 30 docker run --rm --network tp0_testing_net --ip 172.25.125.201 --entrypoint sh server:latest \
  -c "printf '$frames' | openssl s_client -quiet -connect server:12345 -servername server" > "$work/outsider-tls.out" 2>&1
tls_refused=$(docker logs server 2>&1 | grep -c 'action: tls | result: fail | ip: 172.25.125.201 | error: handshake failed')
check "outsider TLS" "agency 2's frames over TLS without a certificate: the central logged $tls_refused failed handshake(s); openssl: $(grep -m1 -iE 'alert|error' "$work/outsider-tls.out" | cut -c1-80)" \
  test "$tls_refused" -ge 1
wait_exited "$CLIENT_TIMEOUT" "${clients[@]}" || fail "real: clients still running after ${CLIENT_TIMEOUT}s"
last_exit=0
for c in "${clients[@]}"; do
  e=$(date -d "$(docker inspect -f '{{.State.FinishedAt}}' "$c")" +%s.%N)
  last_exit=$(awk -v a="$last_exit" -v b="$e" 'BEGIN { print (b > a ? b : a) }')
done
say "make docker-compose-up (images built) -> last client exit: $(secs "$t_up" "$last_exit")s"
compose_logs "$DEV" > "$work/real.log"
check_new_round real 5 "$work/real.log"
check_round real "$REAL_ROWS" "$(IFS=,; echo "${REAL_WINNERS[*]}")" "${expected_docs% }" "$work/real.log" "${clients[@]}"
draw_line=$(grep -n 'action: sorteo | result: success' "$work/real.log" | head -1 | cut -d: -f1)
last_batch=$(grep -n 'action: apuesta_recibida | result: success' "$work/real.log" | tail -1 | cut -d: -f1)
first_sent=$(grep -n 'action: ganadores_enviados' "$work/real.log" | head -1 | cut -d: -f1)
finished2=$(grep -c 'action: agencia_finalizada | result: success | agency: 2 ' "$work/real.log")
check "outsiders refused" "agency 2 finished $finished2 time(s), only as itself; the outsiders started no session" \
  test "$finished2" -eq 1 -a "$(grep -E 'action: sesion \| result: success' "$work/real.log" | grep -cE "$OUTSIDERS")" -eq 0
check "real order" "last stored batch at line ${last_batch:-?}, sorteo at ${draw_line:-?}, first winners sent at ${first_sent:-?}" \
  test "${last_batch:-0}" -lt "${draw_line:-0}" -a "${draw_line:-0}" -lt "${first_sent:-0}"

# ---------------------------------------------------------------- 2. the echo validator, the rounds left behind
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
course_down "$DEV"
left=$(sh scripts/remove-stale-rounds.sh --list | wc -l | tr -d ' ')
check "rounds left behind" "plain downs left the storage of $left rounds (want 5: 64, 99, three, none, real)" test "$left" -eq 5
T 120 make docker-compose-down > "$work/down.log" 2>&1 || { cat "$work/down.log"; fail "make docker-compose-down failed"; }
left=$(sh scripts/remove-stale-rounds.sh --list | wc -l | tr -d ' ')
check "make docker-compose-down" "$(tail -1 "$work/down.log"); $left left" test "$left" -eq 0

say "2b. scripts/test-echo-validator.sh (stand-in servers named server on tp0_testing_net)"
T 300 sh scripts/test-echo-validator.sh > "$work/stand-in.log" 2>&1; rc=$?
sed 's/^/    /' "$work/stand-in.log"
check "validator stand-ins" "$(tail -1 "$work/stand-in.log")" test "$rc" -eq 0

fi

# ---------------------------------------------------------------- 3. one round across restarts
if run_section 3; then
# client3 is started only after the central's three interruptions, so each of them is mid-round
# (the draw waits for client3); client1 sends one bet per batch, so it is mid-stream meanwhile.
say "3. one round across a SIGKILL, restart and force-recreate of the central, and a SIGKILL of an agency"
rm -f .data/agency-*.csv
gen_file .data/agency-1.csv 20000 A B 0 7
gen_file .data/agency-2.csv 6000 Name Surname 0 7
gen_file .data/agency-3.csv 500 A B 0 7
cont=$work/continuity.yaml
./generar-compose.sh "$cont" 3 2>/dev/null
cat > "$work/continuity.override.yaml" <<YAML
services:
  client1:
    environment:
      - CLI_ID=1
      - CLI_BATCH_MAXAMOUNT=1
      - CLI_LOOP_AMOUNT=60
      - CLI_LOOP_PERIOD=250ms
  client2:
    environment:
      - CLI_ID=2
      - CLI_BATCH_MAXAMOUNT=3
      - CLI_LOOP_AMOUNT=60
      - CLI_LOOP_PERIOD=250ms
YAML
C=(-f "$cont" -f "$work/continuity.override.yaml")
server_logs=$work/continuity-server.log; : > "$server_logs"
stored_batches() { docker logs server 2>&1 | grep -c 'action: apuesta_recibida | result: success'; }
T 180 docker compose "${C[@]}" up -d server client1 client2 > "$work/continuity.up" 2>&1 || tail -10 "$work/continuity.up"
wait_log 60 server 'action: apuesta_recibida \| result: success' 300 || fail "continuity: no batch stored"
docker kill -s KILL server >/dev/null
docker kill -s KILL client2 >/dev/null
wait_log 30 client1 'action: conectar \| result: in_progress' || fail "continuity: client1 logged no failed attempt while the central was down"
docker start server >/dev/null
wait_healthy 60 server || fail "continuity: the central did not come back after docker start"
docker start client2 >/dev/null
wait_log 60 server 'action: apuesta_recibida \| result: success' 300 || fail "continuity: nothing stored after docker start"
T 60 docker compose "${C[@]}" restart -t 10 server >/dev/null 2>&1 || fail "continuity: compose restart failed"
wait_healthy 60 server || fail "continuity: the central did not come back after compose restart"
wait_log 60 server 'action: apuesta_recibida \| result: success' 600 || fail "continuity: nothing stored after restart"
docker logs server > "$server_logs" 2>&1 # the container's whole log: force-recreate replaces it
T 120 docker compose "${C[@]}" up -d --force-recreate server > "$work/recreate.log" 2>&1 || { tail "$work/recreate.log"; fail "continuity: force-recreate failed"; }
wait_healthy 60 server || fail "continuity: the central did not come back after force-recreate"
recovered=$(docker logs server 2>&1 | grep 'action: recuperar_ronda' | grep -oE 'apuestas: [0-9]+' | tail -1)
check "continuity force-recreate" "the recreated central recovered the round: ${recovered:-nothing}" test -n "$recovered" -a "${recovered:-apuestas: 0}" != "apuestas: 0"
draws_before=$(grep -c 'action: sorteo' "$server_logs")
check "continuity mid-round" "no draw before client3 starts ($draws_before sorteo lines)" test "$draws_before" -eq 0
T 60 docker compose "${C[@]}" up -d --no-recreate client3 >/dev/null 2>&1 || fail "continuity: client3 did not start"
wait_exited "$CLIENT_TIMEOUT" client1 client2 client3 || fail "continuity: clients still running"
compose_logs "$cont" "$work/continuity.override.yaml" > "$work/continuity.log"
docker logs server >> "$server_logs" 2>&1
restarts=$(grep -c 'action: listen | result: success' "$server_logs")
draws=$(grep -c 'action: sorteo | result: success' "$server_logs")
check "continuity central" "$restarts starts of the central, $draws sorteo in all of them" test "$restarts" -eq 4 -a "$draws" -eq 1
codes=""; ok=1
for c in client1 client2 client3; do codes+="$c=$(exit_code "$c") "; [ "$(exit_code "$c")" = 0 ] || ok=0; done
check "continuity exit codes" "${codes% }" test "$ok" -eq 1
got=""
for c in client1 client2 client3; do
  got+="$(docker logs "$c" 2>&1 | grep 'action: consulta_ganadores | result: success' | grep -oE '[0-9]+$' | tail -1),"
done
check "continuity winners" "cant_ganadores ${got%,} (want 2,2,2)" test "${got%,}" = "2,2,2"
per_agency=$(storage_file bets.csv | cut -d, -f1 | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')
dupes=$(storage_file bets.csv | sort | uniq -d | wc -l | tr -d ' ')
check "continuity exactly once" "rows per agency ${per_agency% } (want 1:20000 2:6000 3:500), $dupes repeated" \
  test "${per_agency% }" = "1:20000 2:6000 3:500" -a "$dupes" -eq 0
record=$(storage_file round.csv | grep '^draw,' | tr ',' '\n' | tail -n +3 | paste -d: - - | sort | tr '\n' ' ')
check "continuity documents" "draw record: ${record% }" test "${record% }" = "1:00000000 1:00000007 2:00000000 2:00000007 3:00000000 3:00000007"
check_logs continuity "$work/continuity.log"
down "$cont" "$work/continuity.override.yaml"

say "3b. the compose file regenerated for another N mid-round, then up: the central refuses the round"
rm -f .data/agency-*.csv
for f in "$work"/data/agency-*.csv; do [ -f "$f" ] && cp "$f" .data/; done
./generar-compose.sh "$DEV" 3
T 180 docker compose -f "$DEV" up -d server client1 > "$work/othern.up" 2>&1 || tail -10 "$work/othern.up"
wait_log 60 server 'action: agencia_finalizada \| result: success \| agency: 1' || fail "another N: agency 1 did not finish"
# Agency 1 of 3 has finished: a central told N=1 on this round's volume would draw at once for it.
./generar-compose.sh "$DEV" 1
T 180 docker compose -f "$DEV" up -d server > "$work/othern.up" 2>&1 || tail -10 "$work/othern.up"
wait_exited 60 server || fail "another N: the central still runs"
refusal=$(docker logs server 2>&1 | grep 'action: listen | result: fail' | sed 's/.*error: //')
check "another N mid-round" "exit code $(exit_code server): ${refusal:-no refusal}" \
  test "$(exit_code server)" = 1 -a "$(docker logs server 2>&1 | grep -c 'action: sorteo')" -eq 0 \
  -a "$refusal" = "round.csv: the round was started for 3 agencies, but this central's round has 1: the directory holds another round; a new round starts in an empty storage directory (with Compose: docker compose down, then up)"
down "$DEV"

fi

# ---------------------------------------------------------------- 4. configuration without rebuild
if run_section 4; then
say "4. edited server/config.ini and client/config.yaml, docker compose up without building"
rm -f .data/agency-*.csv
for f in "$work"/data/agency-*.csv; do [ -f "$f" ] && cp "$f" .data/; done
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

fi

# ---------------------------------------------------------------- 5. SIGTERM
if run_section 5; then
say "5. docker stop -t 10: an agency mid-round, then the central"
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

fi

# ---------------------------------------------------------------- 6. the ledger in PostgreSQL, a standby central
# STORAGE=postgres: the real data round with the ledger in the postgres service and two centrals;
# the serving one (whichever took the lock first) killed mid-round: the other takes over and finishes it.
if run_section 6; then
say "6. STORAGE=postgres: the real data, the serving central killed mid-round, the other finishes it"
rm -f .data/agency-*.csv
for f in "$work"/data/agency-*.csv; do [ -f "$f" ] && cp "$f" .data/; done
pg=$work/postgres.yaml
STORAGE=postgres ./generar-compose.sh "$pg" 5 2>/dev/null
T 240 docker compose -f "$pg" up -d > "$work/pg.up" 2>&1 || { tail -20 "$work/pg.up"; fail "postgres: up -d failed"; }
# Whichever central takes the round's lock first serves; the other stands by.
first=""; deadline=$(( $(date +%s) + 120 ))
until [ -n "$first" ] || [ "$(date +%s)" -ge "$deadline" ]; do
  for c in server server-standby; do
    docker logs "$c" 2>&1 | grep -q 'action: rol | result: success | rol: activo' && { first=$c; break; }
  done
  [ -n "$first" ] || sleep 0.2
done
[ -n "$first" ] || fail "postgres: no central took the round's lock"
other=server; [ "$first" = server ] && other=server-standby
wait_log 120 "$first" 'action: apuesta_recibida \| result: success' 50 || fail "postgres: the serving central stored nothing"
serving=$(docker logs "$first" 2>&1 | grep -c 'action: rol | result: success | rol: activo')
docker logs "$first" > "$work/pg-first.log" 2>&1
docker kill -s KILL "$first" >/dev/null
wait_log 60 "$other" 'action: rol \| result: success \| rol: activo' || fail "postgres: $other did not take over"
wait_exited "$CLIENT_TIMEOUT" "${clients[@]}" || fail "postgres: clients still running"
# The centrals' and agencies' lines: PostgreSQL's own follow its format, not the log grammar.
docker compose -f "$pg" logs --no-color $(docker compose -f "$pg" config --services | grep -vx postgres) \
  > "$work/pg.log" 2>&1
docker logs "$other" > "$work/pg-other.log" 2>&1
codes=""; ok=1
for c in "${clients[@]}"; do codes+="$c=$(exit_code "$c") "; [ "$(exit_code "$c")" = 0 ] || ok=0; done
check "postgres exit codes" "${codes% }" test "$ok" -eq 1
got=""
for c in "${clients[@]}"; do
  got+="$(docker logs "$c" 2>&1 | grep 'action: consulta_ganadores | result: success' | grep -oE '[0-9]+$' | tail -1),"
done
check "postgres winners" "cant_ganadores ${got%,} (want 2,3,3,2,0)" test "${got%,}" = "2,3,3,2,0"
draws=$(cat "$work/pg-first.log" "$work/pg-other.log" | grep -c 'action: sorteo | result: success')
check "postgres takeover" "$first served ($serving activo), was killed; $other took over; $draws sorteo across both" \
  test "$serving" -eq 1 -a "$draws" -eq 1
per_agency=$(docker exec postgres psql -U loteria -d loteria -tAc \
  "SELECT agency || ':' || count(*) FROM bet GROUP BY agency ORDER BY agency" 2>/dev/null | tr '\n' ' ')
want_agency=$(for i in 1 2 3 4 5; do printf '%s:%s ' "$i" "$(wc -l < ".data/agency-$i.csv" | tr -d ' ')"; done)
check "postgres exactly once" "bets per agency in the ledger ${per_agency% } (want ${want_agency% })" \
  test "${per_agency% }" = "${want_agency% }"
check_logs postgres "$work/pg.log"
down "$pg"
fi

finish
