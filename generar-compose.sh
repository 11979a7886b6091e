#!/bin/sh
# Writes a Docker Compose file for the central server and N agency clients.
#
#   ./generar-compose.sh FILE N      e.g. ./generar-compose.sh docker-compose-dev.yaml 5
#
# FILE  output path (its directory is created if needed). Bind-mount paths are written
#       relative (./server/config.ini, ...) when FILE is in the repository root, absolute
#       otherwise, because Compose resolves relative paths against the compose file's directory.
# N     number of agencies, an integer from 0 to 99999 (0 = the server alone).
#
# Agency data: clientI mounts .data/agency-I.csv read-only. When any of agency-1..N is
# missing, the missing ones are taken from .data/dataset.zip (files already in .data/ are
# yours and are never replaced), extracted with the first tool found: unzip, python3 -m
# zipfile, jar, bsdtar, or a throwaway busybox container (so a machine with only Docker and a
# POSIX sh works). An agency still without a file gets an empty one, with a warning: it takes
# part in the round with no bets (without a file, Docker would mount a directory in its place
# and the agency would fail, leaving the others waiting for the draw).
#
# TLS (on by default; TLS=off for a closed test network only): the agencies and the central speak
# mutual TLS with the keys of .data/pki, which a one-shot `pki` service makes at the next `up` when
# any is missing (see below).
#
# POSIX sh: runs as `sh generar-compose.sh FILE N` (Debian's sh is dash), `bash ...` or `./...`.
set -eu

usage() {
  echo "usage: $0 FILE N   (N = number of agencies, an integer from 0 to 99999)" >&2
  exit 2
}

[ "$#" -eq 2 ] || usage
out=$1
n=$2
[ -n "$out" ] || usage
case $n in
  '' | *[!0-9]*) usage ;;
esac
while :; do # decimal, whatever the leading zeros: 05 is 5, 000 is 0
  case $n in
    0?*) n=${n#0} ;;
    *) break ;;
  esac
done
[ "${#n}" -le 5 ] || usage

root=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P)
data="$root/.data"

# Extracts the data set into a scratch directory, then moves into .data/ only the files it lacks.
extract_missing() {
  zip="$data/dataset.zip"
  if [ ! -f "$zip" ]; then
    printf '%s\n' "$0: warning: $zip not found; cannot extract agency files" >&2
    return 0
  fi
  printf '%s\n' "$0: extracting the missing agency files from .data/dataset.zip (files already in .data/ are kept)" >&2
  scratch=".dataset-$$"
  rm -rf "${data:?}/$scratch"
  mkdir -p "$data/$scratch"
  if command -v unzip >/dev/null 2>&1; then
    unzip -o -q "$zip" -d "$data/$scratch"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -m zipfile -e "$zip" "$data/$scratch"
  elif command -v jar >/dev/null 2>&1; then
    (cd "$data/$scratch" && jar xf ../dataset.zip)
  elif command -v bsdtar >/dev/null 2>&1; then
    bsdtar -xf "$zip" -C "$data/$scratch"
  elif command -v docker >/dev/null 2>&1; then
    docker run --rm --user "$(id -u):$(id -g)" -v "$data:/data" -w "/data/$scratch" busybox:latest \
      unzip -o -q ../dataset.zip
  else
    rm -rf "${data:?}/$scratch"
    printf '%s\n' "$0: error: no unzip, python3, jar, bsdtar or docker to extract $zip" >&2
    exit 1
  fi
  for extracted in "$data/$scratch"/*; do
    [ -f "$extracted" ] || continue
    name=$(basename "$extracted")
    [ -e "$data/$name" ] || mv "$extracted" "$data/$name"
  done
  rm -rf "${data:?}/$scratch"
}

missing=0
i=1
while [ "$i" -le "$n" ]; do
  [ -f "$data/agency-$i.csv" ] || missing=1
  i=$((i + 1))
done
[ "$missing" -eq 0 ] || extract_missing
i=1
while [ "$i" -le "$n" ]; do
  file="$data/agency-$i.csv"
  if [ ! -f "$file" ]; then
    if [ -d "$file" ]; then # an empty directory Docker made for a missing file: replaced if it can be
      rmdir "$file" 2>/dev/null || :
    fi
    if (: > "$file") 2>/dev/null; then
      printf '%s\n' "$0: warning: .data/agency-$i.csv did not exist; created it empty: client$i sends no bets" >&2
    else
      printf '%s\n' "$0: warning: .data/agency-$i.csv does not exist and cannot be created; client$i will fail" >&2
    fi
  elif [ ! -s "$file" ]; then
    printf '%s\n' "$0: warning: .data/agency-$i.csv is empty: client$i sends no bets" >&2
  fi
  i=$((i + 1))
done

# Mutual TLS between the agencies and the central (TLS=off ./generar-compose.sh ... for a closed test
# network only): each container mounts only its own key, read-only, from .data/pki (git-ignored).
# Keys that are missing are made at the next `up` by a one-shot `pki` service (the server image's
# MakeKeys, as root, giving each party's directory to the images' user 10001); made ones are kept,
# also across rounds. New keys: remove .data/pki.
case ${TLS:-on} in
  on | off) tls=${TLS:-on} ;;
  *) echo "$0: TLS must be on or off, not '${TLS}'" >&2; exit 2 ;;
esac
# STORAGE=postgres ./generar-compose.sh ...: the round's ledger in a `postgres` service (the
# official postgres:17 image) instead of the central's files, and a second central,
# `server-standby`, on the same database: the one holding the round's lock serves, the other waits
# and takes over when it dies; the agencies try both. Without the variable the file is as before.
case ${STORAGE:-files} in
  files | postgres) storage=${STORAGE:-files} ;;
  *) echo "$0: STORAGE must be files or postgres, not '${STORAGE}'" >&2; exit 2 ;;
esac
centrals=server
[ "$storage" = files ] || centrals="server server-standby"
keys_missing=0
if [ "$tls" = on ]; then
  [ -f "$data/pki/ca/ca.crt" ] || keys_missing=1
  for c in $centrals; do [ -f "$data/pki/$c/tls.key" ] || keys_missing=1; done
  i=1
  while [ "$i" -le "$n" ]; do
    [ -f "$data/pki/agency-$i/tls.key" ] || keys_missing=1
    i=$((i + 1))
  done
fi
# With standbys the agencies dial every central, at the port of server/config.ini.
addresses=
if [ "$storage" = postgres ]; then
  port=
  [ ! -f "$root/server/config.ini" ] ||
    port=$(sed -n 's/^[[:space:]]*SERVER_PORT[[:space:]]*=[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$root/server/config.ini")
  for c in $centrals; do addresses="$addresses${addresses:+,}$c:${port:-12345}"; done
fi

outdir=$(dirname -- "$out") # a FILE may start with -
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd -P)
if [ "$outdir" = "$root" ]; then base=.; else base=$root; fi

# central NAME: the service of a central (server, or server-standby beside it).
central() {
cat <<YAML
  $1:
    container_name: $1
    image: server:latest
    environment:
      - AGENCY_COUNT=$n
      - READY_FILE=/tmp/server.ready
      - TLS=$tls
YAML
[ "$tls" = off ] || echo "      - TLS_DIR=/app/tls"
if [ "$storage" = postgres ]; then
cat <<YAML
      - STORAGE_URL=jdbc:postgresql://postgres:5432/loteria
      - STORAGE_USER=loteria
      - STORAGE_PASSWORD=\${POSTGRES_PASSWORD:-loteria}
    volumes:
      - "$base/server/config.ini:/app/config.ini:ro"
YAML
else
cat <<YAML
      - STORAGE_DIR=/var/lib/loteria
    volumes:
      - "$base/server/config.ini:/app/config.ini:ro"
      # The round: an anonymous volume, which lives as long as the container. A crash, stop + start,
      # restart, up again and up --force-recreate keep it (Compose hands it to the new container);
      # down leaves it behind, unused, and the next up starts a new round in a new one.
      - /var/lib/loteria
YAML
fi
[ "$tls" = off ] || echo "      - \"$base/.data/pki/$1:/app/tls:ro\""
if [ "$keys_missing" -eq 1 ] || [ "$storage" = postgres ]; then
  echo "    depends_on:"
fi
if [ "$keys_missing" -eq 1 ]; then
cat <<YAML
      pki:
        condition: service_completed_successfully
YAML
fi
if [ "$storage" = postgres ]; then
cat <<YAML
      postgres:
        condition: service_healthy
YAML
fi
cat <<YAML
    networks:
      - testing_net
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/server.ready"]
      interval: 1s
      timeout: 2s
      retries: 3
      start_period: 30s
      start_interval: 100ms
YAML
}

{
cat <<YAML
# Generated by generar-compose.sh ($n agencies). Regenerate instead of editing.
name: tp0
services:
YAML
first=1
for c in $centrals; do
  [ "$first" -eq 1 ] || echo
  first=0
  central "$c"
done
i=1
while [ "$i" -le "$n" ]; do
cat <<YAML

  client$i:
    container_name: client$i
    image: client:latest
    environment:
      - CLI_ID=$i
      - CLI_TLS=$tls
YAML
[ "$tls" = off ] || echo "      - CLI_TLS_DIR=/app/tls"
[ "$storage" = files ] || echo "      - CLI_SERVER_ADDRESS=$addresses"
cat <<YAML
    volumes:
      - "$base/client/config.yaml:/app/config.yaml:ro"
      - "$base/.data/agency-$i.csv:/app/.data/agency-$i.csv:ro"
YAML
[ "$tls" = off ] || echo "      - \"$base/.data/pki/agency-$i:/app/tls:ro\""
cat <<YAML
    networks:
      - testing_net
    depends_on:
      server:
        condition: service_started
YAML
if [ "$keys_missing" -eq 1 ]; then
cat <<YAML
      pki:
        condition: service_completed_successfully
YAML
fi
i=$((i + 1))
done
if [ "$keys_missing" -eq 1 ]; then
cat <<YAML

  pki:
    image: server:latest
    user: "0:0"
    entrypoint: ["java", "-cp", "/opt/loteria/server/target/server.jar", "ar.loteria.common.tls.MakeKeys",
                 "--owner", "10001:10001", "/pki", "$n", $(echo "$centrals" | sed 's/\([^ ]*\)/"\1"/g; s/ /, /g')]
    volumes:
      - "$base/.data/pki:/pki"
    network_mode: none
YAML
fi
if [ "$storage" = postgres ]; then
cat <<YAML

  postgres:
    container_name: postgres
    image: postgres:17
    environment:
      - POSTGRES_USER=loteria
      - POSTGRES_PASSWORD=\${POSTGRES_PASSWORD:-loteria}
      - POSTGRES_DB=loteria
    volumes:
      # The ledger: an anonymous volume, as the central's files are (down ends the round).
      - /var/lib/postgresql/data
    networks:
      - testing_net
    healthcheck:
      test: ["CMD", "pg_isready", "-U", "loteria", "-d", "loteria"]
      interval: 1s
      timeout: 2s
      retries: 30
      start_interval: 200ms
YAML
fi
cat <<YAML

networks:
  testing_net:
    ipam:
      driver: default
      config:
        - subnet: 172.25.125.0/24
YAML
} > "$out"
