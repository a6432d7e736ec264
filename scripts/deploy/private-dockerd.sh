#!/usr/bin/env bash
# A Docker engine of its own for tests and offline builds: private socket, data root and exec root
# under one directory, so it never touches (or needs) the machine's own dockerd.
#   scripts/deploy/private-dockerd.sh start DIR   # prints the DOCKER_HOST to export; fails within 60 s
#   scripts/deploy/private-dockerd.sh stop DIR    # stops it and removes DIR with everything it made
set -euo pipefail
cmd=${1:?usage: private-dockerd.sh start|stop DIR}
dir=${2:?usage: private-dockerd.sh start|stop DIR}

start() {
  command -v dockerd >/dev/null || { echo "dockerd not found: apt-get install -y docker.io" >&2; exit 1; }
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  # Unix socket paths are limited to ~108 bytes: keep the exec root (containerd's sockets) short.
  local exec_root="/run/almready-docker-$(printf '%s' "$dir" | md5sum | cut -c1-8)"
  echo "$exec_root" >"$dir/exec-root"
  local storage=${ALMREADY_DOCKER_STORAGE:-overlay2}
  dockerd --storage-driver="$storage" --data-root="$dir/data" --exec-root="$exec_root" \
    --pidfile="$dir/dockerd.pid" -H "unix://$dir/docker.sock" --iptables=true \
    >"$dir/dockerd.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do
    if DOCKER_HOST="unix://$dir/docker.sock" docker version >/dev/null 2>&1; then
      echo "unix://$dir/docker.sock"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "dockerd exited at start; its log ($dir/dockerd.log) ends with:" >&2
      tail -20 "$dir/dockerd.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "dockerd did not answer on unix://$dir/docker.sock within 60 s; log: $dir/dockerd.log" >&2
  kill "$pid" 2>/dev/null || true
  exit 1
}

stop() {
  [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd)
  local sock="unix://$dir/docker.sock"
  if [ -S "$dir/docker.sock" ]; then
    # Containers first, so their mounts and network namespaces are released cleanly.
    local ids
    ids=$(DOCKER_HOST=$sock timeout 20 docker ps -aq 2>/dev/null || true)
    [ -n "$ids" ] && DOCKER_HOST=$sock timeout 60 docker rm -f $ids >/dev/null 2>&1 || true
  fi
  if [ -f "$dir/dockerd.pid" ]; then
    local pid
    pid=$(cat "$dir/dockerd.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  local exec_root
  exec_root=$(cat "$dir/exec-root" 2>/dev/null || true)
  # Whatever is still mounted under the data or exec root (overlay layers, netns) must go first.
  for root in "$dir" ${exec_root:+"$exec_root"}; do
    { grep -o " $root[^ ]*" /proc/mounts 2>/dev/null || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  done
  rm -rf "$dir" ${exec_root:+"$exec_root"}
  # dockerd leaves its default bridge behind; remove it unless another dockerd still runs.
  if ! pgrep -x dockerd >/dev/null 2>&1 && ip link show docker0 >/dev/null 2>&1; then
    ip link delete docker0 2>/dev/null || true
  fi
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: private-dockerd.sh start|stop DIR" >&2; exit 2 ;;
esac
