# An nginx base image of the same shape as the public nginx image for what ALMReady uses of it
# (/etc/nginx/nginx.conf, conf.d/*.conf, mime.types, /var/cache/nginx, logs to the container's
# output, wget and envsubst), made offline from a Debian rootfs with Debian's nginx.
ARG DEBIAN_IMAGE=local/debian:bookworm
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx-light wget gettext-base ca-certificates \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/* \
 && mkdir -p /var/cache/nginx /etc/nginx/conf.d \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
