#!/usr/bin/env bash
# Builds ALMReady's images with the repository's Dockerfiles.
# Usage: scripts/deploy/build-images.sh [--tag TAG] [--offline] [--base-cache DIR] [--deps-cache DIR] [--ca-bundle FILE]
#   --tag TAG          image tag (default: the version in package.json); images almready-backend:TAG
#                      and almready-frontend:TAG
#   --offline          no image registry: first make local/debian, local/node and local/nginx with
#                      scripts/deploy/base-images.sh (Debian mirror + this machine's Node 20) and
#                      build on those; only npm packages and Debian packages are downloaded
#   --base-cache DIR   passed to base-images.sh: reuse its saved base images when they match
#   --deps-cache DIR   keep each image's dependency stage (npm ci, better-sqlite3 compiled) as a
#                      `docker save` archive in DIR, named by a hash of the Dockerfile, the
#                      package manifests, the lock file, the CA bundle and the base image, and
#                      build on it (--cache-from) when it matches: a source change then rebuilds
#                      only the layers after the install
#   --ca-bundle FILE   trust this CA bundle (PEM) during `npm ci` in the builds (a TLS-intercepting
#                      proxy or a mirror signed by the bank's CA); not kept in the images
# Prints the environment lines to put in .env for docker-compose to use these images.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tag=$(node -p "require('$root/package.json').version")
offline=0
cache=()
deps_cache=""
ca=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag=${2:?--tag needs a value}; shift 2 ;;
    --offline) offline=1; shift ;;
    --base-cache) cache=(--cache "${2:?--base-cache needs a directory}"); shift 2 ;;
    --deps-cache) deps_cache=${2:?--deps-cache needs a directory}; shift 2 ;;
    --ca-bundle) ca=${2:?--ca-bundle needs a file}; shift 2 ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done
node_image=node:20-bookworm-slim
nginx_image=nginx:1.27-alpine
if [ "$offline" = 1 ]; then
  "$root/scripts/deploy/base-images.sh" "${cache[@]}"
  node_image=local/node:20-bookworm-slim
  nginx_image=local/nginx:bookworm
fi
ca_copy="$root/docker/build-ca/ca.crt"
if [ -n "$ca" ]; then
  [ -s "$ca" ] || { echo "--ca-bundle $ca: no such file (or empty)" >&2; exit 1; }
  cp "$ca" "$ca_copy"
  trap 'rm -f "$ca_copy"' EXIT
fi
cd "$root"
run_logged() { # what, command...
  local what=$1; shift
  local log
  log=$(mktemp)
  if ! "$@" >"$log" 2>&1; then
    tail -40 "$log" >&2
    echo "$what failed (log above)" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
}
build() { # name, extra build args...
  local name=$1; shift
  local from=()
  local key="" deps_image=""
  if [ -n "$deps_cache" ]; then
    key=$( { cat "docker/$name.Dockerfile" package-lock.json package.json */package.json; cat "$ca_copy" 2>/dev/null || true;
             docker image inspect --format '{{.Id}}' "$node_image"; } | sha256sum | cut -c1-16)
    deps_image="almready-$name-deps:$key"
    if [ -f "$deps_cache/$name-deps-$key.tar" ]; then
      docker load -q -i "$deps_cache/$name-deps-$key.tar" >/dev/null
      from=(--cache-from "$deps_image")
    fi
  fi
  # The version label makes each tag its own image, so an upgrade replaces containers for real.
  run_logged "building almready-$name:$tag" docker build -f "docker/$name.Dockerfile" -t "almready-$name:$tag" \
    --label "org.opencontainers.image.version=$tag" "${from[@]}" "$@" .
  echo "built almready-$name:$tag"
  if [ -n "$deps_cache" ] && [ ! -f "$deps_cache/$name-deps-$key.tar" ]; then
    # Same steps as the build just made: every layer comes from the local cache.
    run_logged "tagging the dependency stage of $name" docker build -f "docker/$name.Dockerfile" --target deps -t "$deps_image" "$@" .
    mkdir -p "$deps_cache"
    rm -f "$deps_cache/$name-deps-"*.tar
    docker save -o "$deps_cache/$name-deps-$key.tar.part" "$deps_image"
    mv "$deps_cache/$name-deps-$key.tar.part" "$deps_cache/$name-deps-$key.tar"
  fi
}
build backend --build-arg "NODE_IMAGE=$node_image"
build frontend --build-arg "NODE_IMAGE=$node_image" --build-arg "NGINX_IMAGE=$nginx_image"
echo "# for .env:"
echo "ALMREADY_VERSION=$tag"
echo "ALMREADY_NGINX_IMAGE=$nginx_image"
