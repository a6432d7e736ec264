# ALMReady SPA: built with Vite, served as static files by nginx (plain HTTP behind the edge proxy).
# Build from the repository root:  docker build -f docker/frontend.Dockerfile -t almready-frontend .
# NODE_IMAGE / NGINX_IMAGE: images of the public ones' shape; scripts/deploy/base-images.sh makes
# both offline.
ARG NODE_IMAGE=node:20-bookworm-slim
ARG NGINX_IMAGE=nginx:1.27-alpine

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV npm_config_update_notifier=false
COPY docker/build-ca/ /tmp/build-ca/
COPY package.json package-lock.json ./
COPY engine/package.json engine/
COPY contracts/package.json contracts/
COPY notebooks/package.json notebooks/
COPY backend/package.json backend/
COPY frontend/package.json frontend/
# The SPA and the notebook format it imports; install scripts only build native modules it never uses.
RUN if [ -s /tmp/build-ca/ca.crt ]; then export NODE_EXTRA_CA_CERTS=/tmp/build-ca/ca.crt; fi \
 && npm ci --ignore-scripts --workspace=frontend --workspace=notebooks --workspace=contracts --no-audit --no-fund \
 && rm -rf /root/.npm /tmp/build-ca

FROM deps AS build
COPY tsconfig.base.json tsconfig.json ./
# The SPA imports the notebook document format (notebooks) and the API contracts, which name the
# engine's scenario ids and limits (engine).
COPY engine ./engine
COPY contracts ./contracts
COPY notebooks ./notebooks
COPY frontend ./frontend
RUN npm run build -w frontend

FROM ${NGINX_IMAGE}
COPY docker/frontend-nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /app/frontend/dist /usr/share/nginx/html
EXPOSE 80
HEALTHCHECK --interval=10s --timeout=5s --retries=3 CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1/"]
