# Lotería Nacional: build, test and Docker Compose shortcuts. See docs/docker.md.
SHELL := /bin/bash

COMPOSE_FILE ?= docker-compose-dev.yaml
AGENCIES     ?= 5
# Docker Compose v2 (`docker compose`); the v1 binary only when v2 is not installed.
COMPOSE      ?= $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo "docker-compose")
# RUN --mount=type=cache in the Dockerfiles needs BuildKit (the default since Docker 23).
export DOCKER_BUILDKIT := 1
# Java truststore handed to Maven inside the image build as a BuildKit secret (never stored in
# an image): only needed behind a TLS-intercepting proxy, harmless otherwise. Empty = none.
MAVEN_TRUSTSTORE ?= $(firstword $(wildcard /etc/ssl/certs/java/cacerts))
comma := ,
BUILD_FLAGS = $(if $(MAVEN_TRUSTSTORE),--secret id=maven_truststore$(comma)src=$(MAVEN_TRUSTSTORE))

.PHONY: default build test docker-image docker-compose-up docker-compose-down docker-compose-logs bench bench-jmh

default: build

build:
	mvn -B -q package -DskipTests

test:
	mvn -B test

docker-image:
	docker build $(BUILD_FLAGS) -f server/Dockerfile -t server:latest .
	docker build $(BUILD_FLAGS) -f client/Dockerfile -t client:latest .

# Generated once with $(AGENCIES) agencies; regenerate with ./generar-compose.sh FILE N.
$(COMPOSE_FILE):
	./generar-compose.sh $@ $(AGENCIES)

docker-compose-up: docker-image $(COMPOSE_FILE)
	$(COMPOSE) -f $(COMPOSE_FILE) up -d

# Stops and removes the containers, the network and the bets volume (-v): every `up` starts
# from an empty ledger, so a new draw never counts the bets of a previous run.
# (`$(COMPOSE) -f $(COMPOSE_FILE) stop` keeps everything, volume included.)
docker-compose-down:
	$(COMPOSE) -f $(COMPOSE_FILE) down -v --remove-orphans

docker-compose-logs:
	$(COMPOSE) -f $(COMPOSE_FILE) logs -f

bench:
	bash scripts/bench.sh

bench-jmh:
	bash scripts/bench-jmh.sh
