#!/bin/sh
# Proves validar-echo-server.sh against stand-in servers (busybox nc), exactly where a user runs
# it: a container named `server` on the docker network `tp0_testing_net`, listening on the
# SERVER_PORT of server/config.ini. The validator runs with NO overrides (SERVER_IP,
# SERVER_PORT, ECHO_NETWORK and ECHO_MESSAGE are unset), so it reads server/config.ini itself.
#
#   scripts/test-echo-validator.sh      (or: sh scripts/test-echo-validator.sh, from anywhere)
#
# Cases, each run as `sh validar-echo-server.sh`, `bash validar-echo-server.sh` and
# `./validar-echo-server.sh` from the repository root (case a also as `sh /abs/path/...` from /
# and `../validar-echo-server.sh` from scripts/):
#   a. plain echo server (nc -e cat)                                   -> success
#   b. echo server that starts 3 s late (refusals retried)             -> success, after >= 2 s
#   c. server that answers the first 5 bytes, keeps the connection     -> fail, within 9 s
#   d. server that answers a shorter, different frame                  -> fail
#   e. server that answers the same length, different bytes            -> fail
#      (the request with a-z upper-cased: still a well-formed frame)
#   f. server that accepts and never answers                           -> fail, within 9 s
#   g. nothing listening (connection refused)                          -> fail, after 9..20 s
# A case passes when stdout is exactly the one result line, the exit status matches, the time
# is within bounds and (for the failures) stderr shows the expected diagnosis.
#
# Creates the network and the container `server` if missing, and refuses to run (exit 1) if a
# container named `server` already exists (e.g. the tp0 compose project is up). Removes
# everything it created on exit, also on Ctrl-C. Every wait is bounded. Prints PASS/FAIL per
# case with its time and `N passed, M failed`; exits non-zero if any failed.
# Needs Docker, busybox:latest and bash (for the `bash validar-echo-server.sh` runs). POSIX sh.
set -u

root=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd -P) || exit 1
validator=validar-echo-server.sh
net=tp0_testing_net
name=server
image=busybox:latest
label=tp0.test-echo-validator
token="$$-$(date +%s)"
passed=0; failed=0
created_net=0
work=

unset SERVER_IP SERVER_PORT ECHO_NETWORK ECHO_MESSAGE

die() { printf 'test-echo-validator: %s\n' "$*" >&2; exit 1; }
now() {
  _t=$(date +%s.%N 2>/dev/null)
  case $_t in '' | *[!0-9.]*) _t=$(date +%s) ;; esac
  printf '%s\n' "$_t"
}
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
bounded() { # SECONDS CMD...: runs CMD, killed after SECONDS when timeout(1) exists
  if command -v timeout >/dev/null 2>&1; then timeout "$@"; else shift; "$@"; fi
}
exists() { docker container inspect "$name" >/dev/null 2>&1; }
ours() { # is the container `server` one this run created?
  [ "$(docker container inspect -f '{{index .Config.Labels "tp0.test-echo-validator"}}' "$name" 2>/dev/null)" = "$token" ]
}
remove_server() {
  exists || return 0
  ours || die "a container named '$name' appeared that this script did not create; leaving it alone"
  docker rm -f "$name" >/dev/null 2>&1
}

cleanup() {
  trap - EXIT INT TERM
  if exists && ours; then docker rm -f "$name" >/dev/null 2>&1; fi
  if [ "$created_net" -eq 1 ]; then
    # a validator killed mid-run may leave its busybox probe attached for up to ~15 s
    _i=0
    until docker network rm "$net" >/dev/null 2>&1; do
      _i=$((_i + 1))
      if [ "$_i" -ge 40 ]; then
        printf 'test-echo-validator: could not remove network %s\n' "$net" >&2
        break
      fi
      sleep 0.5
    done
  fi
  if [ -n "$work" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------ preconditions
command -v docker >/dev/null 2>&1 || die "docker not found"
docker info >/dev/null 2>&1 || die "the docker engine is not reachable"
docker image inspect "$image" >/dev/null 2>&1 || die "image $image not present (never pulled here)"
[ -f "$root/$validator" ] || die "$root/$validator not found"

ini_get() { # KEY -> value from the [DEFAULT] section of server/config.ini
  awk -v key="$1" '
    /^[[:space:]]*[;#]/ { next }
    /^[[:space:]]*\[/ { sect = $0; gsub(/[[:space:]\[\]]/, "", sect); next }
    sect == "DEFAULT" {
      i = index($0, "="); if (i == 0) next
      k = substr($0, 1, i - 1); v = substr($0, i + 1)
      gsub(/^[[:space:]]+|[[:space:]]+$/, "", k); gsub(/^[[:space:]]+|[[:space:]]+$/, "", v)
      if (k == key) { print v; exit }
    }' "$root/server/config.ini"
}
[ -f "$root/server/config.ini" ] || die "server/config.ini not found"
cfg_ip=$(ini_get SERVER_IP)
port=$(ini_get SERVER_PORT)
[ "$cfg_ip" = "$name" ] ||
  die "server/config.ini has SERVER_IP='$cfg_ip'; these cases need SERVER_IP = $name (the container name)"
case $port in '' | *[!0-9]*) die "server/config.ini has SERVER_PORT='$port', not a port number" ;; esac

if exists; then
  die "a container named '$name' already exists and was not created by this script" \
    "(is the tp0 compose project up? run 'make docker-compose-down' first); nothing was changed"
fi

work=$(mktemp -d 2>/dev/null || { d="${TMPDIR:-/tmp}/test-echo-validator.$$"; mkdir -m 700 "$d" && echo "$d"; }) ||
  die "cannot create a temporary directory"

if ! docker network inspect "$net" >/dev/null 2>&1; then
  docker network create --label "$label=$token" "$net" >/dev/null || die "cannot create network $net"
  created_net=1
fi

# ------------------------------------------------------------------ stand-in servers
# start_server DELAY HANDLER: container `server` on $net; after DELAY seconds a persistent nc
# listener on $port runs the shell code HANDLER per connection (stdin/stdout = the socket).
# (-ll is the Debian/busybox-static spelling of a persistent listener, -lk the nc_bloaty one.)
start_server() {
  remove_server
  # shellcheck disable=SC2016
  docker run -d --name "$name" --label "$label=$token" --network "$net" "$image" sh -c '
    printf "%s\n" "#!/bin/sh" "$3" > /handler && chmod +x /handler || exit 1
    sleep "$1"
    nc -ll -p "$2" -e /handler 2>/dev/null || nc -lk -p "$2" -e /handler' \
    sh "$1" "$port" "$2" >/dev/null || die "cannot start the stand-in server"
}
wait_listening() { # up to 5 s for the stand-in to listen (the validator would retry anyway)
  _i=0
  while [ "$_i" -lt 25 ]; do
    docker exec "$name" netstat -ltn 2>/dev/null | grep -q ":$port " && return 0
    sleep 0.2; _i=$((_i + 1))
  done
  printf 'test-echo-validator: note: stand-in not seen listening on %s after 5 s\n' "$port" >&2
}
start_nothing() { # container `server` exists (the name resolves) but nothing listens
  remove_server
  docker run -d --name "$name" --label "$label=$token" --network "$net" "$image" sleep 600 >/dev/null ||
    die "cannot start the stand-in container"
}

# ------------------------------------------------------------------ one validator run
# invoke HOW: runs the validator as HOW says, with stdout to $work/out, stderr to $work/err.
invoke() {
  case $1 in
    sh) (cd "$root" && bounded 60 sh "$validator") ;;
    bash) (cd "$root" && bounded 60 bash "$validator") ;;
    exec) (cd "$root" && bounded 60 "./$validator") ;;
    sh-abs) (cd / && bounded 60 sh "$root/$validator") ;;
    exec-rel) (cd "$root/scripts" && bounded 60 "../$validator") ;;
  esac >"$work/out" 2>"$work/err"
}
label_of() {
  case $1 in
    sh) echo "sh $validator" ;;
    bash) echo "bash $validator" ;;
    exec) echo "./$validator" ;;
    sh-abs) echo "cd / && sh $root/$validator" ;;
    exec-rel) echo "cd scripts && ../$validator" ;;
  esac
}

# run_case CASE HOW EXPECTED(success|fail) MIN_S MAX_S STDERR_PATTERN(grep -E, '' = none)
run_case() {
  _case=$1 _how=$2 _want=$3 _min=$4 _max=$5 _pat=$6
  _t0=$(now)
  invoke "$_how"; _rc=$?
  _t1=$(now)
  _s=$(secs "$_t0" "$_t1")
  _out=$(cat "$work/out")
  _lines=$(wc -l <"$work/out" | tr -dc 0-9)
  _line="action: test_echo_server | result: $_want"
  _want_rc=0; [ "$_want" = fail ] && _want_rc=1
  _why=
  [ "$_out" = "$_line" ] && [ "$_lines" = 1 ] || _why="${_why}stdout '$_out' ($_lines line(s)), want '$_line'; "
  [ "$_rc" -eq "$_want_rc" ] || _why="${_why}exit $_rc, want $_want_rc; "
  awk -v s="$_s" -v lo="$_min" -v hi="$_max" 'BEGIN { exit !(s >= lo && s <= hi) }' ||
    _why="${_why}took ${_s}s, want ${_min}..${_max}s; "
  if [ -n "$_pat" ] && ! grep -Eq "$_pat" "$work/err"; then _why="${_why}stderr lacks /$_pat/; "; fi
  _desc="$_case [$(label_of "$_how")]"
  if [ -z "$_why" ]; then
    printf "PASS %s: '%s' exit %s in %ss\n" "$_desc" "$_out" "$_rc" "$_s"
    passed=$((passed + 1))
  else
    printf 'FAIL %s: %s\n' "$_desc" "$_why"
    sed 's/^/    stderr: /' "$work/err"
    failed=$((failed + 1))
  fi
}
hows="sh bash exec"

# ------------------------------------------------------------------ the cases
printf 'stand-ins: container %s on network %s, port %s (server/config.ini)%s\n' \
  "$name" "$net" "$port" "$([ "$created_net" -eq 1 ] && echo ', network created' || echo ', network already there')"

start_server 0 'exec cat'
wait_listening
for how in $hows sh-abs exec-rel; do
  run_case "a. plain echo server" "$how" success 0 15 ''
done

for how in $hows; do
  start_server 3 'exec cat'   # afresh for each run, so each one meets the refusals
  run_case "b. echo server starting 3 s late" "$how" success 2 15 ''
done

start_server 0 'dd bs=1 count=5 2>/dev/null; exec cat >/dev/null'
wait_listening
for how in $hows; do
  run_case "c. server answering only the first 5 bytes" "$how" fail 0 9 'received 5 bytes'
done

# 09 | 00000008 | 00000004 "chau": well-formed, 13 bytes, shorter than any default request
start_server 0 'printf "\011\000\000\000\010\000\000\000\004chau"; exec cat >/dev/null'
wait_listening
for how in $hows; do
  run_case "d. server answering a shorter, different frame" "$how" fail 0 9 'received: +09 00 00 00 08 00 00 00 04 63 68 61 75'
done

# the request upper-cased: same length, same header, text "TEST_ECHO_SERVER <n>"
start_server 0 'exec tr a-z A-Z'
wait_listening
for how in $hows; do
  run_case "e. server answering the same length, different bytes" "$how" fail 0 9 'received: +09 00 00 00 .*54 45 53 54 5f 45 43 48 4f'
done

start_server 0 'exec cat >/dev/null'
wait_listening
for how in $hows; do
  run_case "f. server that accepts and never answers" "$how" fail 0 9 'connected but no answer'
done

start_nothing
for how in $hows; do
  run_case "g. nothing listening (connection refused)" "$how" fail 9 20 'could not connect'
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
