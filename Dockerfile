# syntax=docker/dockerfile:1
# SafeDeploy image: `docker build -t safedeploy .`, then `docker run safedeploy worker|api|...`.
# Debian (glibc), not Alpine: Temporal's core-bridge native module ships glibc builds only.
# Node.js 24, an LTS line (Node 20 reached end of life); development and CI run any Node >= 20.19 (package.json).
ARG NODE_IMAGE=node:24-bookworm-slim

# --- build: compile the TypeScript and prebuild the workflow bundle ---------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would run the build before the sources are copied (it runs below).
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
RUN npm run build && npm run bundle:workflows

# --- runtime: production dependencies, compiled code, git -------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# git: the git provider shells out to it; openssh-client: ssh remotes; ca-certificates: https remotes,
# GitHub, Temporal Cloud; tini: PID 1 that forwards signals and reaps git's orphaned helper processes.
RUN apt-get update \
  && apt-get install -y --no-install-recommends git openssh-client ca-certificates tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; --ignore-scripts because `prepare` runs tsc, a devDependency. Then drop
# Temporal core-bridge's prebuilt binaries for other platforms (about 110 MB): keep this machine's glibc one.
RUN npm ci --omit=dev --ignore-scripts \
  && npm cache clean --force \
  && find node_modules/@temporalio/core-bridge/releases -mindepth 1 -maxdepth 1 \
    ! -name "$(uname -m)-unknown-linux-gnu" -exec rm -rf {} +
COPY --from=build /app/dist ./dist
COPY bin ./bin
# `safedeploy seed-env` (docker-compose's local environment repository and catalog) and the search-attribute
# registration script, which the Kubernetes Job copies out of this image.
COPY examples ./examples
COPY deploy/temporal/register-search-attributes.sh ./deploy/temporal/
# Data (git cache; evidence and audit log without a database) and catalog locations; mount a volume and the catalog there.
# The data directory is created owned by the runtime user so a fresh named volume inherits the ownership.
RUN mkdir -p /var/lib/safedeploy /etc/safedeploy/catalog && chown 1000:1000 /var/lib/safedeploy
ENV SAFEDEPLOY_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js \
    SAFEDEPLOY_DATA_DIR=/var/lib/safedeploy \
    SAFEDEPLOY_CATALOG=/etc/safedeploy/catalog
# The image's `node` user, by number so Kubernetes can verify runAsNonRoot.
USER 1000:1000
# `safedeploy api` listens here; the worker serves nothing.
EXPOSE 8080
# No HEALTHCHECK: the default command (worker) has no endpoint to probe; the API's /healthz is probed by
# docker-compose.yml and the Kubernetes Deployment instead.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "bin/safedeploy.js"]
CMD ["worker"]
