#!/bin/sh
# Checks generar-compose.sh as users and the course's tools run it, in a scratch copy of the
# script and of .data/dataset.zip (the repository's own .data/ is not touched):
#   a. bad arguments: usage on stderr, exit 2, no file written
#   b. N=7 with the user's own agency-1.csv: the missing 2..5 come from dataset.zip, agency-1.csv
#      is kept as the user wrote it, 6 and 7 are created empty with a warning (and warned about
#      again as empty at the next run); 7 clients
#   c. the same with python3 as the only extracting tool (no unzip on the PATH)
#   d. N=0: the server alone, no agency file needed
#
#   sh scripts/test-generar-compose.sh      (POSIX sh; no Docker; b and c are skipped without unzip, python3)
set -u

root=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd -P) || exit 1
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
passed=0
failed=0

check() { # DESCRIPTION COMMAND...: PASS when the command succeeds
  description=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "PASS $description"
  else
    failed=$((failed + 1))
    echo "FAIL $description"
  fi
}

copy() { # DIR: a scratch copy of the script and the data set
  rm -rf "$1"
  mkdir -p "$1/.data"
  cp "$root/generar-compose.sh" "$1/"
  cp "$root/.data/dataset.zip" "$1/.data/"
}

# a. bad arguments
copy "$work/a"
for args in "" "only-file" "f.yaml -1" "f.yaml abc" "f.yaml 3 extra" "f.yaml 1.5" "f.yaml 100000"; do
  # shellcheck disable=SC2086 # the arguments are split into words on purpose
  (cd "$work/a" && sh generar-compose.sh $args > out 2> err)
  status=$?
  check "bad arguments '$args': exit 2, usage, no file" \
    test "$status" -eq 2 -a ! -e "$work/a/f.yaml" -a "$(grep -c '^usage: ' "$work/a/err")" -eq 1
done

own='Mía,Propia,00000001,2000-01-01,7574'

# b and c: N=7 with the user's agency-1.csv, extracting with unzip, then with python3 alone
for tool in unzip python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP $tool: not installed"
    continue
  fi
  dir=$work/$tool
  copy "$dir"
  printf '%s\n' "$own" > "$dir/.data/agency-1.csv"
  path=$PATH
  shell=$(command -v sh)
  if [ "$tool" = python3 ]; then # a PATH with what the script needs, and no unzip
    mkdir -p "$dir/bin"
    for command in dirname basename mkdir rm mv cat id; do
      ln -s "$(command -v "$command")" "$dir/bin/$command"
    done
    # the interpreter itself: python3 on the PATH may be a wrapper script needing more tools
    ln -s "$(python3 -c 'import sys; print(sys.executable)')" "$dir/bin/python3"
    path=$dir/bin
  fi
  (cd "$dir" && PATH=$path "$shell" generar-compose.sh compose.yaml 7 > out 2> err)
  check "$tool: exit 0" test $? -eq 0
  check "$tool: the user's agency-1.csv is kept" test "$(cat "$dir/.data/agency-1.csv")" = "$own"
  # 51,761: the rows of the data set's agency-2..5.csv (78,697 in all, 26,936 of them agency 1's)
  check "$tool: agency-2..5 extracted" test "$(cat "$dir/.data/agency-2.csv" "$dir/.data/agency-3.csv" \
    "$dir/.data/agency-4.csv" "$dir/.data/agency-5.csv" | wc -l)" -eq 51761
  check "$tool: agency-6 and 7 created empty" test -f "$dir/.data/agency-6.csv" -a ! -s "$dir/.data/agency-6.csv" \
    -a -f "$dir/.data/agency-7.csv" -a ! -s "$dir/.data/agency-7.csv"
  check "$tool: a warning names each empty agency" \
    test "$(grep -c 'warning: .data/agency-[67].csv did not exist; created it empty' "$dir/err")" -eq 2
  check "$tool: no scratch directory left" test "$(find "$dir/.data" -name '.dataset-*' | wc -l)" -eq 0
  (cd "$dir" && PATH=$path "$shell" generar-compose.sh compose.yaml 7 > out 2> err)
  check "$tool: run again, a warning names each empty agency" \
    test "$(grep -c 'warning: .data/agency-[67].csv is empty: client[67] sends no bets' "$dir/err")" -eq 2
  check "$tool: 7 clients, each with its file" test "$(grep -c '^  client[0-9]*:$' "$dir/compose.yaml")" -eq 7 \
    -a "$(grep -c '/.data/agency-7.csv:/app/.data/agency-7.csv:ro' "$dir/compose.yaml")" -eq 1
done

# d. N=0
copy "$work/zero"
(cd "$work/zero" && sh generar-compose.sh compose.yaml 0 > out 2> err)
check "N=0: exit 0, the server alone, no agency file" test $? -eq 0 \
  -a "$(grep -c '^  client' "$work/zero/compose.yaml")" -eq 0 \
  -a "$(find "$work/zero/.data" -name 'agency-*' | wc -l)" -eq 0 \
  -a "$(grep -c 'AGENCY_COUNT=0' "$work/zero/compose.yaml")" -eq 1

# e. TLS and storage: keys mounted one directory per container and made by a pki service only when
# missing; TLS=off without either; STORAGE=postgres adds the database and a standby central; wrong
# values are usage errors.
copy "$work/modes"
(cd "$work/modes" && sh generar-compose.sh tls.yaml 2 > out 2> err)
check "TLS on by default: each container its own key directory, and a pki service for the missing keys" \
  test "$(grep -c '/.data/pki/agency-[12]:/app/tls:ro' "$work/modes/tls.yaml")" -eq 2 \
  -a "$(grep -c '/.data/pki/server:/app/tls:ro' "$work/modes/tls.yaml")" -eq 1 \
  -a "$(grep -c '^  pki:$' "$work/modes/tls.yaml")" -eq 1
mkdir -p "$work/modes/.data/pki/ca" "$work/modes/.data/pki/server" "$work/modes/.data/pki/agency-1" "$work/modes/.data/pki/agency-2"
: > "$work/modes/.data/pki/ca/ca.crt"
for party in server agency-1 agency-2; do : > "$work/modes/.data/pki/$party/tls.key"; done
(cd "$work/modes" && sh generar-compose.sh keys.yaml 2 > out 2> err)
check "every key present: no pki service" test "$(grep -c 'pki' "$work/modes/keys.yaml")" -eq 3 \
  -a "$(grep -c '^  pki:$' "$work/modes/keys.yaml")" -eq 0
(cd "$work/modes" && TLS=off sh generar-compose.sh plain.yaml 2 > out 2> err)
check "TLS=off: no key mounted, TLS=off told" test "$(grep -c 'pki' "$work/modes/plain.yaml")" -eq 0 \
  -a "$(grep -c 'TLS=off' "$work/modes/plain.yaml")" -eq 3
(cd "$work/modes" && STORAGE=postgres sh generar-compose.sh pg.yaml 2 > out 2> err)
check "STORAGE=postgres: a postgres service, a standby central, agencies dialing both" \
  test "$(grep -c '^  postgres:$' "$work/modes/pg.yaml")" -eq 1 \
  -a "$(grep -c '^  server-standby:$' "$work/modes/pg.yaml")" -eq 1 \
  -a "$(grep -c 'CLI_SERVER_ADDRESS=server:12345,server-standby:12345' "$work/modes/pg.yaml")" -eq 2 \
  -a "$(grep -c 'STORAGE_URL=jdbc:postgresql://postgres:5432/loteria' "$work/modes/pg.yaml")" -eq 2
check "without STORAGE: no database, no standby" test "$(grep -c 'postgres\|standby' "$work/modes/tls.yaml")" -eq 0
(cd "$work/modes" && STORAGE=mysql sh generar-compose.sh bad.yaml 2 > out 2> err); rc=$?
check "STORAGE=mysql: exit 2" test "$rc" -eq 2
(cd "$work/modes" && TLS=maybe sh generar-compose.sh bad.yaml 2 > out 2> err); rc=$?
check "TLS=maybe: exit 2" test "$rc" -eq 2

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
