# Lotería Nacional: build, test and Docker Compose shortcuts. See docs/docker.md.
COMPOSE_FILE ?= docker-compose-dev.yaml
AGENCIES     ?= 5
# Docker Compose v2 (`docker compose`); the v1 binary only when v2 is not installed.
COMPOSE      ?= $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo "docker-compose")
# RUN --mount in the Dockerfiles needs BuildKit (the default since Docker 23).
export DOCKER_BUILDKIT := 1

.PHONY: default build test docker-image docker-compose-up docker-compose-down docker-compose-logs bench bench-jmh

default: build

build:
	mvn -B -q package -DskipTests

test:
	mvn -B test

docker-image:
	docker build -f server/Dockerfile -t server:latest .
	docker build -f client/Dockerfile -t client:latest .

# Written with $(AGENCIES) agencies when missing; regenerate with ./generar-compose.sh FILE N.
$(COMPOSE_FILE):
	./generar-compose.sh $@ $(AGENCIES)

docker-compose-up: docker-image $(COMPOSE_FILE)
	$(COMPOSE) -f $(COMPOSE_FILE) up -d

# Ends the round: stops and removes the containers, the network and the round's storage (-v);
# the next `up` is a new round, as after a plain `down`. Then removes the storage that plain
# `down`s of earlier rounds left behind (docs/docker.md). `stop` keeps the round for the next up.
docker-compose-down:
	$(COMPOSE) -f $(COMPOSE_FILE) down -v --remove-orphans
	sh scripts/remove-stale-rounds.sh

docker-compose-logs:
	$(COMPOSE) -f $(COMPOSE_FILE) logs -f

bench:
	sh scripts/bench.sh

bench-jmh:
	sh scripts/bench-jmh.sh
