#!/bin/sh
# Entry point of the nginx service: copies docker/nginx.conf with the HTTP → HTTPS redirect aimed
# at the public URL (ALMREADY_PUBLIC_URL, else the requested host on ALMREADY_HTTPS_PORT), checks
# the result, then runs nginx in the foreground as the container's PID 1.
set -eu
src=/etc/nginx/almready/nginx.conf
literal='return 301 https://$host$request_uri;'
grep -qF "$literal" "$src" || { echo "nginx-start: $src lacks the line '$literal'" >&2; exit 1; }
url=${ALMREADY_PUBLIC_URL:-}
port=${ALMREADY_HTTPS_PORT:-443}
if [ -n "$url" ]; then
  url=${url%/}
  case "$url" in
    https://*) ;;
    *) echo "nginx-start: ALMREADY_PUBLIC_URL must start with https:// (got '$url')" >&2; exit 1 ;;
  esac
  case "${url#https://}" in
    */*|*'"'*|*' '*|*'|'*|*'$'*|*';'*|*'&'*|*'\'*|'') echo "nginx-start: ALMREADY_PUBLIC_URL must be https://host[:port] with no path (got '$url')" >&2; exit 1 ;;
  esac
  target=$url
elif [ "$port" = 443 ]; then
  target='https://$host'
else
  case "$port" in *[!0-9]*|'') echo "nginx-start: ALMREADY_HTTPS_PORT must be a port number (got '$port')" >&2; exit 1 ;; esac
  target="https://\$host:$port"
fi
sed "s|return 301 https://\$host\$request_uri;|return 301 $target\$request_uri;|" "$src" >/etc/nginx/nginx.conf
nginx -t -q
exec nginx -g 'daemon off;'
