#!/usr/bin/env bash
# Makes the base images ALMReady's Dockerfiles need without any image registry:
#   local/debian:bookworm         debootstrap (minbase) from the Debian mirror this machine's apt uses
#   local/node:20-bookworm-slim   that rootfs + this machine's own Node 20 (node, npm, headers)
#   local/nginx:bookworm          that rootfs + Debian's nginx
# Usage: scripts/deploy/base-images.sh [--cache DIR]
#   --cache DIR  keep the three images as one `docker save` archive in DIR, named by a hash of
#                everything they are made from, and load it instead of rebuilding when it matches.
# Environment: ALMREADY_DEBIAN_MIRROR overrides the mirror read from /etc/apt/sources.list(.d).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=""
while [ $# -gt 0 ]; do
  case "$1" in
    --cache) cache=${2:?--cache needs a directory}; shift 2 ;;
    *) echo "unknown option $1 (usage: base-images.sh [--cache DIR])" >&2; exit 2 ;;
  esac
done

# The first bookworm (not -security/-updates) URI of apt's sources, deb822 or one-line format.
debian_mirror() {
  if [ -n "${ALMREADY_DEBIAN_MIRROR:-}" ]; then echo "$ALMREADY_DEBIAN_MIRROR"; return; fi
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri=$(awk 'BEGIN{RS=""; FS="\n"} {u=""; s=""; for(i=1;i<=NF;i++){ if($i ~ /^URIs:/){sub(/^URIs:[ \t]*/,"",$i); split($i,a," "); u=a[1]} if($i ~ /^Suites:/){s=$i} } if(u!="" && s ~ /[ \t]bookworm([ \t]|$)/){print u; exit}}' "$f")
    if [ -n "$uri" ]; then echo "$uri"; return; fi
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri=$(awk '$1=="deb" && $0 ~ / bookworm( |$)/ { for(i=2;i<=NF;i++) if($i ~ /^[a-z]+:\/\//){print $i; exit} }' "$f")
    if [ -n "$uri" ]; then echo "$uri"; return; fi
  done
  echo "no bookworm mirror found in /etc/apt/sources.list(.d); set ALMREADY_DEBIAN_MIRROR" >&2
  return 1
}

command -v debootstrap >/dev/null || { echo "debootstrap not found: apt-get install -y debootstrap" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "base-images.sh must run as root (debootstrap)" >&2; exit 1; }
node_bin=$(readlink -f "$(command -v node)")
node_prefix=$(dirname "$(dirname "$node_bin")")
node_version=$(node --version)
case "$node_version" in v20.*) ;; *) echo "this machine's node is $node_version; the images need Node 20" >&2; exit 1 ;; esac
[ -f "$node_prefix/include/node/node_api.h" ] || { echo "Node headers not found in $node_prefix/include/node" >&2; exit 1; }
[ -d "$node_prefix/lib/node_modules/npm" ] || { echo "npm not found in $node_prefix/lib/node_modules/npm" >&2; exit 1; }
mirror=$(debian_mirror)
images=(local/debian:bookworm local/node:20-bookworm-slim local/nginx:bookworm)

key=$( { cat "$here/base-images.sh" "$root/docker/offline/node.Dockerfile" "$root/docker/offline/nginx.Dockerfile"; echo "$mirror $node_version"; sha256sum "$node_bin"; } | sha256sum | cut -c1-16)
if [ -n "$cache" ] && [ -f "$cache/base-images-$key.tar" ]; then
  docker load -q -i "$cache/base-images-$key.tar" >/dev/null
  echo "base images loaded from $cache/base-images-$key.tar"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; echo "debootstrap from $mirror failed" >&2; exit 1; }
rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
tar -C "$work/rootfs" -c . | docker import -c 'CMD ["bash"]' - local/debian:bookworm >/dev/null
rm -rf "$work/rootfs"

mkdir -p "$work/ctx/node/bin" "$work/ctx/node/lib/node_modules" "$work/ctx/node/include"
cp "$node_bin" "$work/ctx/node/bin/node"
cp -a "$node_prefix/lib/node_modules/npm" "$work/ctx/node/lib/node_modules/npm"
cp -a "$node_prefix/include/node" "$work/ctx/node/include/node"
docker build -q -t local/node:20-bookworm-slim -f "$root/docker/offline/node.Dockerfile" "$work/ctx" >/dev/null
docker build -q -t local/nginx:bookworm -f "$root/docker/offline/nginx.Dockerfile" "$work/ctx" >/dev/null

if [ -n "$cache" ]; then
  mkdir -p "$cache"
  rm -f "$cache"/base-images-*.tar
  docker save -o "$cache/base-images-$key.tar.part" "${images[@]}"
  mv "$cache/base-images-$key.tar.part" "$cache/base-images-$key.tar"
fi
echo "base images made: ${images[*]}"
