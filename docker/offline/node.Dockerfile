# A Node 20 base image of the same shape as the public node:20-bookworm-slim (node, npm and Node's
# headers under /usr/local, a `node` user with uid 1000), made offline from a Debian rootfs and a
# Node 20 installation copied in by scripts/deploy/base-images.sh.
ARG DEBIAN_IMAGE=local/debian:bookworm
FROM ${DEBIAN_IMAGE}
COPY node/ /usr/local/
RUN ln -sf ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -sf ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version && npm --version
CMD ["node"]
