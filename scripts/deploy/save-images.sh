#!/usr/bin/env bash
# Writes ALMReady's three images to one archive for a server without network access.
# Usage: scripts/deploy/save-images.sh FILE.tar.gz [TAG] [NGINX_IMAGE]
#   TAG          tag of almready-backend / almready-frontend (default: the version in package.json)
#   NGINX_IMAGE  the edge proxy's image (default nginx:1.27-alpine; local/nginx:bookworm offline)
# On the server: scripts/deploy/load-images.sh FILE.tar.gz (or: docker load -i FILE.tar.gz).
set -euo pipefail
file=${1:?usage: save-images.sh FILE.tar.gz [TAG] [NGINX_IMAGE]}
root=$(cd "$(dirname "$0")/../.." && pwd)
tag=${2:-$(node -p "require('$root/package.json').version")}
nginx_image=${3:-nginx:1.27-alpine}
images=("almready-backend:$tag" "almready-frontend:$tag" "$nginx_image")
for image in "${images[@]}"; do
  docker image inspect "$image" >/dev/null 2>&1 || { echo "no image $image here: build it first (scripts/deploy/build-images.sh)" >&2; exit 1; }
done
docker save "${images[@]}" | gzip -1 >"$file.part"
mv "$file.part" "$file"
echo "saved ${images[*]} to $file ($(stat -c %s "$file") bytes)"
