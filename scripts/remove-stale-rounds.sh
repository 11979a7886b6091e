#!/bin/sh
# Removes the storage of rounds that are over: the anonymous volumes that `docker compose down`
# (without -v, as the course's tools run it) leaves behind when it removes the central's
# container. `make docker-compose-down` runs it after its own `down -v`.
#
#   sh scripts/remove-stale-rounds.sh [--list] [IMAGE]   (IMAGE: the central's image, server:latest)
#
# --list prints the names of those volumes, one per line, and removes nothing.
#
# Only dangling volumes (used by no container, running or stopped) that the central's image
# marked as its storage are removed: the image holds /var/lib/loteria/.loteria-storage, and
# Docker copies it into every new volume mounted there. Anything else is left alone; a round
# that is only stopped is never dangling. POSIX sh; needs only Docker.
set -eu
list=0
if [ "${1:-}" = --list ]; then list=1; shift; fi
image=${1:-server:latest}
volumes=$(docker volume ls -q --filter dangling=true)
[ -n "$volumes" ] || exit 0
docker image inspect "$image" >/dev/null 2>&1 || exit 0 # no image: it made no volume here
set --
for volume in $volumes; do
  set -- "$@" -v "$volume:/volumes/$volume:ro"
done
stale=$(docker run --rm --user root --network none --entrypoint sh "$@" "$image" -c \
  'for d in /volumes/*; do if [ -f "$d/.loteria-storage" ]; then basename "$d"; fi; done')
if [ "$list" -eq 1 ]; then
  [ -z "$stale" ] || echo "$stale"
elif [ -n "$stale" ]; then
  # shellcheck disable=SC2086 # volume names hold no spaces
  docker volume rm $stale >/dev/null
  echo "removed the storage of $(echo "$stale" | wc -l | tr -d ' ') earlier round(s)"
fi
