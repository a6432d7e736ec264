#!/usr/bin/env bash
# Loads an archive written by scripts/deploy/save-images.sh into this server's Docker engine.
# Usage: scripts/deploy/load-images.sh FILE.tar.gz
set -euo pipefail
file=${1:?usage: load-images.sh FILE.tar.gz}
[ -f "$file" ] || { echo "$file: no such file" >&2; exit 1; }
gzip -dc "$file" | docker load
