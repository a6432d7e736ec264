# syntax=docker/dockerfile:1
# ALMReady SPA: built with Vite, served as static files by nginx (plain HTTP behind the edge proxy).
# Build from the repository root:  docker build -f docker/frontend.Dockerfile -t almready-frontend .

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY engine/package.json engine/
COPY notebooks/package.json notebooks/
COPY backend/package.json backend/
COPY frontend/package.json frontend/
# Install scripts only build the backend's native modules (better-sqlite3), which the SPA never uses.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
# The SPA imports the notebook document format from the notebooks workspace.
COPY notebooks ./notebooks
COPY frontend ./frontend
RUN npm run build -w frontend

FROM nginx:1.27-alpine
COPY docker/frontend-nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /app/frontend/dist /usr/share/nginx/html
EXPOSE 80
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1/"]
