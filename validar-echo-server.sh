#!/bin/sh
# Checks that the running server answers an Echo frame with exactly the same bytes.
#
#   ./validar-echo-server.sh      (or: sh validar-echo-server.sh, bash validar-echo-server.sh,
#                                  from any directory)
#
# POSIX sh (runs under dash, bash, busybox ash). Prints exactly one line on stdout,
# `action: test_echo_server | result: success` (exit 0) or
# `action: test_echo_server | result: fail` (exit 1); diagnostics go to stderr.
#
# Nothing is installed on the host and no port is published: a throwaway busybox container
# joins the compose network and talks to the server with `nc`.
#   host, port   SERVER_IP and SERVER_PORT from server/config.ini ([DEFAULT]); environment
#                variables of the same name override them.
#   network      ECHO_NETWORK, default tp0_testing_net (compose project tp0, network testing_net).
#   message      ECHO_MESSAGE, default "test_echo_server <random>".
# Frame: opcode 0x09 | int body length | body, the body being one string (int byte length +
# UTF-8 bytes), all big-endian. Any echo server passes: the reply must equal the request.
# A refused connection (or a name not resolvable yet) is retried for up to 10 s; once connected,
# the full reply must arrive within 5 s.
set -u

# The repository root is this script's directory ($0 is the script's path under `sh FILE`,
# `bash FILE` and `./FILE` alike).
root=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P) || root=.
config="$root/server/config.ini"

fail() {
  [ "$#" -gt 0 ] && printf 'validar-echo-server: %s\n' "$*" >&2
  echo "action: test_echo_server | result: fail"
  exit 1
}

ini_get() { # KEY -> value from the [DEFAULT] section (empty if absent)
  [ -f "$config" ] || return 0
  awk -v key="$1" '
    /^[[:space:]]*[;#]/ { next }
    /^[[:space:]]*\[/ { sect = $0; gsub(/[[:space:]\[\]]/, "", sect); next }
    sect == "DEFAULT" {
      i = index($0, "="); if (i == 0) next
      k = substr($0, 1, i - 1); v = substr($0, i + 1)
      gsub(/^[[:space:]]+|[[:space:]]+$/, "", k); gsub(/^[[:space:]]+|[[:space:]]+$/, "", v)
      if (k == key) { print v; exit }
    }' "$config"
}

host=${SERVER_IP:-$(ini_get SERVER_IP)}
port=${SERVER_PORT:-$(ini_get SERVER_PORT)}
network=${ECHO_NETWORK:-tp0_testing_net}
message=${ECHO_MESSAGE:-}
if [ -z "$message" ]; then
  # a random number 0..4294967295 (od on /dev/urandom; failing that, the pid and the time)
  rand=$(od -An -N4 -tu4 /dev/urandom 2>/dev/null | tr -dc 0-9)
  [ -n "$rand" ] || rand="$$$(date +%s)"
  message="test_echo_server $rand"
fi

[ -n "$host" ] || fail "SERVER_IP not set and not found in $config"
case $port in
  '' | *[!0-9]*) fail "SERVER_PORT '$port' is not a port number" ;;
esac
command -v docker >/dev/null 2>&1 || fail "docker not found"
docker network inspect "$network" >/dev/null 2>&1 || fail "docker network $network does not exist (is the compose project up?)"

# Runs inside busybox. Builds the frame with printf octal escapes, keeps nc's stdin open (so
# no nc variant half-closes or quits early) and polls the reply until it has as many bytes as
# the request, the connection closes, or the time is up. (Single-quoted on purpose: it expands
# inside the container, under busybox sh.)
# shellcheck disable=SC2016
probe='
mkdir -p /tmp
host=$1; port=$2; msg=$3
be32() { printf "\\%03o\\%03o\\%03o\\%03o" $(($1>>24&255)) $(($1>>16&255)) $(($1>>8&255)) $(($1&255)); }
n=$(printf %s "$msg" | wc -c)
printf "\\011$(be32 $((n + 4)))$(be32 $n)" > /tmp/req
printf %s "$msg" >> /tmp/req
want=$(wc -c < /tmp/req)
start=$(date +%s)
attempt=0
while :; do
  attempt=$((attempt + 1))
  : > /tmp/resp
  (cat /tmp/req; sleep 30) | nc -w 3 "$host" "$port" > /tmp/resp 2> /tmp/err &
  pid=$!
  t=0; connected=0
  while [ "$t" -lt 50 ]; do
    got=$(wc -c < /tmp/resp)
    [ "$got" -ge "$want" ] && break
    if [ "$got" -gt 0 ]; then  # a wrong byte already arrived: no need to wait for the rest
      head -c "$got" /tmp/req | cmp -s - /tmp/resp || break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1; t=$((t + 1))
  done
  got=$(wc -c < /tmp/resp)
  if kill -0 "$pid" 2>/dev/null; then alive=1; kill "$pid" 2>/dev/null; else alive=0; fi
  if [ "$got" -eq 0 ] && [ "$alive" -eq 0 ] && [ $(( $(date +%s) - start )) -lt 10 ]; then
    # refused, unresolvable or closed at once: the server may still be starting
    sleep 0.5; continue
  fi
  break
done
summary="attempts: $attempt, sent $want bytes, received $got bytes"
if [ "$got" -eq 0 ]; then
  echo "$summary" >&2
  [ -s /tmp/err ] || err_none="the connection was refused, or closed with no reply"
  if [ "$alive" -eq 1 ]; then echo "connected but no answer within 5 s" >&2
  else echo "could not connect to $host:$port within 10 s: $(cat /tmp/err)${err_none:-}" >&2; fi
  exit 1
fi
head -c "$want" /tmp/resp > /tmp/resp.cut
if [ "$got" -eq "$want" ] && cmp -s /tmp/req /tmp/resp.cut; then exit 0; fi
echo "$summary" >&2
echo "sent:     $(od -An -tx1 /tmp/req | tr -s " \n" " ")" >&2
echo "received: $(head -c 256 /tmp/resp | od -An -tx1 | tr -s " \n" " ")" >&2
exit 1
'

if docker run --rm --network "$network" busybox:latest sh -c "$probe" probe "$host" "$port" "$message"; then
  echo "action: test_echo_server | result: success"
  exit 0
fi
fail
