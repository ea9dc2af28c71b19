#!/usr/bin/env bash
# Makes this machine able to run the Compose deployment without any image registry:
#   1. Debian's docker.io (dockerd) and debootstrap, when missing;
#   2. a Docker engine: reuses a running one, else starts `dockerd --storage-driver=vfs` in the background and
#      writes its pid to $ISOBAR_DEPLOY_CACHE/dockerd.started.pid (the deployment test stops it afterwards);
#   3. Compose v2 (docker compose) built once from the Go module proxy, cached under $ISOBAR_DEPLOY_CACHE;
#   4. the base image isobar/debian:bookworm (debootstrap minbase + docker import), its tarball cached for a week;
#   5. the JMX exporter agent jar, when `npm run kafka:jars` has not fetched it.
# Idempotent: a second run finds everything in place in a second or two.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

CACHE="${ISOBAR_DEPLOY_CACHE:-${HOME}/.cache/isobar}"
COMPOSE_VERSION="${ISOBAR_COMPOSE_VERSION:-v5.6.0}"
BASE_IMAGE="${ISOBAR_BASE_IMAGE:-isobar/debian:bookworm}"
MIRROR="${ISOBAR_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
mkdir -p "${CACHE}"
say() { printf 'deploy-prepare: %s\n' "$*" >&2; }

# 1. Packages.
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -q >/dev/null
  apt-get install -y -q "${missing[@]}" >/dev/null
fi

# 2. Engine.
if ! docker info >/dev/null 2>&1; then
  say "starting dockerd (vfs storage), log ${CACHE}/dockerd.log"
  nohup dockerd --storage-driver=vfs >"${CACHE}/dockerd.log" 2>&1 &
  echo $! >"${CACHE}/dockerd.started.pid"
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { say "dockerd did not answer within 60 s (see ${CACHE}/dockerd.log)"; exit 1; }
fi

# 3. Compose v2 from the Go module proxy (`go install` refuses the module because of its go.mod directives).
plugins="${HOME}/.docker/cli-plugins"
compose_bin="${CACHE}/compose-${COMPOSE_VERSION}/docker-compose"
if ! docker compose version >/dev/null 2>&1; then
  if [ ! -x "${compose_bin}" ]; then
    command -v go >/dev/null 2>&1 || { say "Go is needed to build docker compose ${COMPOSE_VERSION}"; exit 1; }
    say "building docker compose ${COMPOSE_VERSION} from the Go module proxy (about 3 minutes, once)"
    work="$(mktemp -d)"
    dir="$(cd "${work}" && GOFLAGS=-mod=mod go mod download -json "github.com/docker/compose/v5@${COMPOSE_VERSION}" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    cp -r "${dir}" "${work}/src" && chmod -R u+w "${work}/src"
    mkdir -p "$(dirname "${compose_bin}")"
    (cd "${work}/src" && go build -trimpath -ldflags "-s -w -X github.com/docker/compose/v5/internal.Version=${COMPOSE_VERSION}" \
      -o "${compose_bin}" ./cmd)
    rm -rf "${work}"
  fi
  mkdir -p "${plugins}"
  cp "${compose_bin}" "${plugins}/docker-compose"
  docker compose version >/dev/null
fi

# 4. Base image: Debian bookworm minbase, imported (nothing can be pulled here).
if ! docker image inspect "${BASE_IMAGE}" >/dev/null 2>&1; then
  tarball="${CACHE}/debian-bookworm-minbase.tar"
  if [ -z "$(find "${tarball}" -mtime -7 2>/dev/null)" ]; then
    say "debootstrap bookworm minbase from ${MIRROR} (about a minute)"
    root="$(mktemp -d)" && chmod 755 "${root}" # mktemp makes it 0700: the image's / must be traversable
    debootstrap --variant=minbase bookworm "${root}" "${MIRROR}" >"${CACHE}/debootstrap.log" 2>&1
    rm -rf "${root}"/var/cache/apt/archives/*.deb "${root}"/var/lib/apt/lists/*
    tar -C "${root}" -cf "${tarball}.tmp" . && mv "${tarball}.tmp" "${tarball}"
    rm -rf "${root}"
  fi
  docker import "${tarball}" "${BASE_IMAGE}" >/dev/null
  say "imported ${BASE_IMAGE}"
fi
# 5. The JMX exporter agent the Kafka image bakes in (normally fetched by `npm run kafka:jars`).
agent="$(dirname "$0")/../../packages/kafka-local/lib/jmx/jmx_prometheus_javaagent.jar"
if [ ! -f "${agent}" ]; then
  say "fetching io.prometheus.jmx:jmx_prometheus_javaagent from Maven Central"
  mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact=io.prometheus.jmx:jmx_prometheus_javaagent:1.0.1 -Dmdep.stripVersion=true \
    -DoutputDirectory="$(dirname "${agent}")"
fi
say "ready: $(docker version --format 'engine {{.Server.Version}}'), $(docker compose version --short | sed 's/^/compose /'), base ${BASE_IMAGE}"
