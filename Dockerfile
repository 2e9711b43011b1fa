# syntax=docker/dockerfile:1
# NRF impact assessment worker image (../shared/spec/operations.md §8.1, docs/deployment.md).
#   build    full dependency tree; TypeScript compiled into dist/ (plus the files modules read
#            relative to themselves: migrations, schemas, a package.json with the version)
#   deps     production dependencies only; better-sqlite3's native addon is built here
#   runtime  node_modules from deps, dist/ from build; owned by root, run as `node`
#
# The base image is pinned by digest so that a rebuild is reproducible and a re-pushed tag cannot
# change it silently. The digest below is the one public repositories pin for
# node:20-bookworm-slim; it was not resolved against the registry when this file was written.
# Refresh it deliberately and review the change:
#   docker buildx imagetools inspect node:20-bookworm-slim --format '{{json .Manifest.Digest}}'
ARG NODE_IMAGE=node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# No install scripts: tsc needs none, and this tree never reaches the runtime image.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/copy-build-assets.mjs scripts/
COPY bin/ bin/
COPY lib/ lib/
COPY schemas/ schemas/
# `npm run build` = tsc -p tsconfig.build.json, then scripts/copy-build-assets.mjs (postbuild).
# The smoke run proves bin/worker starts from dist/ without tsx.
RUN npm run build && node bin/worker --help > /dev/null

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# better-sqlite3 (GeoPackage and lookups reads) is the one production dependency with an install
# script (package.json "allowScripts"). prebuild-install fetches a prebuilt addon when it can and
# falls back to node-gyp, hence the toolchain: in this stage only, never in the runtime.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 \
 && node -e "new (require('better-sqlite3'))(':memory:').close()" \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
# curl: the platform's health-check requirement; tini: signal forwarding and zombie reaping.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# TINI_SUBREAPER: under ECS the platform init (initProcessEnabled) is PID 1 and tini runs beneath
# it; as a subreaper it still reaps orphans, and it does not warn about not being PID 1.
ENV NODE_ENV=production \
    TINI_SUBREAPER=1 \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
# Owned by root with the default modes: readable, never writable, by the `node` user.
COPY --from=deps --chown=root:root /app/node_modules/ node_modules/
COPY --from=build --chown=root:root /app/dist/ dist/
COPY --chown=root:root bin/ bin/
COPY --chown=root:root package.json ./
COPY --chown=root:root lib/reference/migrations/ lib/reference/migrations/
COPY --chown=root:root schemas/ schemas/
# The task runs with a read-only root filesystem and a bind-mounted /tmp. Fargate mounts such a
# volume root-owned unless the image declares it, in which case it copies this path's mode
# (1777) into the volume (aws/containers-roadmap#938). Job scratch space lives here.
VOLUME ["/tmp"]
USER node
EXPOSE 8085
# Identical to ecs-task-def.json's healthCheck (spec/packaging/dockerfile.test.ts checks it).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS --max-time 3 http://127.0.0.1:8085/health > /dev/null || exit 1
ENTRYPOINT ["/usr/bin/tini", "--"]
# node directly, never npm, so SIGTERM reaches the primary.
CMD ["node", "bin/worker", "start"]
