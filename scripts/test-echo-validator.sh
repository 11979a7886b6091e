#!/usr/bin/env bash
# Proves validar-echo-server.sh against stand-in servers (busybox nc) on a private network:
#   1. plain echo server (nc -e cat)                          -> success
#   2. echo server that starts 3 s after the validator         -> success (refusals retried)
#   3. server that answers a different, well-formed frame      -> fail
#   4. server that accepts and never answers                   -> fail (after a few seconds)
#   5. nothing listening                                       -> fail (after ~10 s)
# The real-server case is in scripts/e2e-docker.sh. Prints PASS/FAIL per case and
# `N passed, M failed`; exits non-zero if any failed. Needs only Docker and busybox:latest.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
net=echo-validator-test-net
srv=echo-validator-test-srv
passed=0; failed=0

cleanup() {
  docker rm -f "$srv" >/dev/null 2>&1 || true
  docker network rm "$net" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup
docker network create "$net" >/dev/null

# start_server DELAY HANDLER: a persistent nc listener on 12345 running HANDLER per connection.
# (-ll is the Debian/busybox-static spelling of a persistent listener, -lk the nc_bloaty one.)
start_server() {
  docker rm -f "$srv" >/dev/null 2>&1 || true
  docker run -d --name "$srv" --network "$net" busybox:latest sh -c \
    "sleep $1; nc -ll -p 12345 -e $2 2>/dev/null || nc -lk -p 12345 -e $2" >/dev/null
}

run_case() { # NAME EXPECTED(success|fail)
  local name=$1 expected=$2 out rc t0 t1
  t0=$(date +%s.%N)
  out=$(ECHO_MESSAGE=${ECHO_MESSAGE:-} SERVER_IP=$srv SERVER_PORT=12345 ECHO_NETWORK=$net "$root/validar-echo-server.sh" 2>/tmp/echo-validator-test.err)
  rc=$?
  t1=$(date +%s.%N)
  local secs; secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  local want_line="action: test_echo_server | result: $expected" want_rc=0
  [ "$expected" = fail ] && want_rc=1
  if [ "$out" = "$want_line" ] && [ "$rc" -eq "$want_rc" ]; then
    echo "PASS $name: '$out' exit $rc in ${secs}s"; passed=$((passed + 1))
  else
    echo "FAIL $name: got '$out' exit $rc in ${secs}s, want '$want_line' exit $want_rc"
    sed 's/^/    /' /tmp/echo-validator-test.err
    failed=$((failed + 1))
  fi
}

# Handlers are scripts inside the busybox container.
docker run --rm busybox:latest true >/dev/null

start_server 0 cat
sleep 1
run_case "plain echo server" success

start_server 3 cat
run_case "echo server starting 3 s late" success

# A well-formed Echo frame with other text: the reply must be the request, byte for byte.
start_server 0 "sh -c 'printf \"\\011\\000\\000\\000\\010\\000\\000\\000\\004chau\"; cat >/dev/null'"
sleep 1
ECHO_MESSAGE=hola run_case "server answering 'chau' to 'hola' (same length)" fail
run_case "server answering a shorter, different frame" fail

start_server 0 "sh -c 'cat >/dev/null'"
sleep 1
run_case "server that never answers" fail

docker rm -f "$srv" >/dev/null 2>&1
docker run -d --name "$srv" --network "$net" busybox:latest sleep 60 >/dev/null
run_case "nothing listening (connection refused)" fail

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
