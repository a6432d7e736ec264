# syntax=docker/dockerfile:1
# ALMReady backend: Koa API + DuckDB + SQLite, run from TypeScript sources through tsx (no build step).
# Build from the repository root:  docker build -f docker/backend.Dockerfile -t almready-backend .

FROM node:20-bookworm-slim AS deps
# better-sqlite3 11 compiles from source when no prebuilt binary matches: it needs python3, make, g++.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Manifests first, so the dependency layer is reused until a package.json or the lock file changes.
COPY package.json package-lock.json ./
COPY engine/package.json engine/
COPY notebooks/package.json notebooks/
COPY backend/package.json backend/
COPY frontend/package.json frontend/
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    ALMREADY_DATA_DIR=/data \
    ALMREADY_PORT=8080 \
    ALMREADY_HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY engine ./engine
COPY notebooks ./notebooks
COPY backend ./backend
# The SPA is served by the frontend container behind nginx; the backend answers the API only
# (its static-file fallback finds no frontend/dist here and stays out of the way).
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.ALMREADY_PORT || 8080) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The `almready` entry registers tsx itself and runs backend/src/cli/main.ts (`almready serve`).
# Exec form: node is PID 1 and receives SIGTERM, so `docker stop` shuts the server down gracefully.
CMD ["node", "backend/bin/almready.mjs", "serve"]
