# ALMReady backend: Koa API + DuckDB + SQLite, run from TypeScript sources through tsx (no build step).
# Build from the repository root:  docker build -f docker/backend.Dockerfile -t almready-backend .
# NODE_IMAGE: any Node 20 image of the public node:20-bookworm-slim's shape (Node's headers in
# /usr/local/include/node); scripts/deploy/base-images.sh makes one offline.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
# better-sqlite3 is compiled from source: python3, make and g++ for node-gyp.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Nothing but npm packages is downloaded: no prebuilt binary from better-sqlite3's release host
# (build_from_source) and no Node headers from the Node.js site (nodedir: the image's own).
ENV npm_config_build_from_source=true \
    npm_config_nodedir=/usr/local \
    npm_config_update_notifier=false
# Optional CA bundle of a TLS-intercepting proxy or npm mirror (docker/build-ca/README.md).
COPY docker/build-ca/ /tmp/build-ca/
# Manifests first, so the dependency layer is reused until a package.json or the lock file changes.
COPY package.json package-lock.json ./
COPY engine/package.json engine/
COPY contracts/package.json contracts/
COPY notebooks/package.json notebooks/
COPY backend/package.json backend/
COPY frontend/package.json frontend/
# Production dependencies of the backend workspace (and the engine/notebooks it imports) only.
RUN if [ -s /tmp/build-ca/ca.crt ]; then export NODE_EXTRA_CA_CERTS=/tmp/build-ca/ca.crt; fi \
 && npm ci --omit=dev --workspace=backend --no-audit --no-fund \
 && node -e "require('better-sqlite3')(':memory:').prepare('select 1').get()" \
 && rm -rf /root/.npm /tmp/build-ca

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    ALMREADY_DATA_DIR=/data \
    ALMREADY_PORT=8080 \
    ALMREADY_HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY engine ./engine
COPY contracts ./contracts
COPY notebooks ./notebooks
COPY backend ./backend
COPY scripts/deploy/backup-db.mjs ./scripts/deploy/backup-db.mjs
# The server and its workers start from compiled JavaScript (backend/dist), not through tsx.
COPY scripts/build.mjs ./scripts/build.mjs
RUN node scripts/build.mjs
# The SPA is served by the frontend container behind nginx; the backend answers the API only
# (its static-file fallback finds no frontend/dist here and stays out of the way).
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.ALMREADY_PORT || 8080) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The `almready` entry registers tsx itself and runs backend/src/cli/main.ts (`almready serve`).
# Exec form: node is PID 1 and receives SIGTERM, so `docker stop` shuts the server down gracefully.
CMD ["node", "backend/bin/almready.mjs", "serve"]
