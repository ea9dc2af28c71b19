# One image for every Isobar service; the command picks the service (see isobar-entrypoint.sh):
#   registry | console | weather-streamer | analytics | simulator | <any `isobar` CLI command>
# Build from the repository root:  docker build -f deploy/docker/isobar.Dockerfile -t isobar/isobar .
#
# NODE_BASE is the base of both stages. The default is the public node:24-slim. Any Debian-like base without
# Node also works (CI uses a locally imported Debian bookworm, since no registry can be pulled from there):
# the build stage then installs Debian's npm to run `npm ci`, and the runtime gets the Node 24 binary of the
# project's own `node` devDependency (the version every `npm run` uses).
ARG NODE_BASE=node:24-slim

# The workspaces' package.json files alone (one layer: with the vfs storage driver every layer is a full copy).
FROM ${NODE_BASE} AS manifests
COPY packages/ /src/packages/
RUN find /src/packages -type f ! -name package.json -delete

FROM ${NODE_BASE} AS build
RUN if ! command -v npm >/dev/null 2>&1; then \
      apt-get update -q && apt-get install -y -q --no-install-recommends nodejs npm ca-certificates && \
      rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /src
# Behind a TLS-intercepting proxy: its CA bundle in deploy/docker/build-ca/*.pem (build stage only).
COPY deploy/docker/build-ca/ /tmp/build-ca/
RUN if ls /tmp/build-ca/*.pem >/dev/null 2>&1; then cat /tmp/build-ca/*.pem > /tmp/build-ca.pem && \
      npm config set cafile /tmp/build-ca.pem; fi
# Manifests first: the dependency layer is rebuilt only when a manifest changes.
COPY package.json package-lock.json ./
COPY --from=manifests /src/packages/ packages/
RUN npm ci --no-audit --no-fund --loglevel=error
COPY packages/ packages/
# The console's browser bundle (Vite), then only production dependencies, all assembled in /app so the runtime
# stage copies one layer. Node 24 is kept aside first when the base has another Node (or none): it is the
# project's `node` devDependency, which the prune removes.
COPY deploy/docker/isobar-entrypoint.sh /app/bin/isobar-entrypoint
RUN npm run build --silent && \
    if [ "$(node --version 2>/dev/null | cut -d. -f1)" != "v24" ]; then cp node_modules/node/bin/node /app/bin/node; fi && \
    npm prune --omit=dev --no-audit --no-fund --loglevel=error && \
    rm -rf packages/web/src packages/*/test packages/*/test-chaos && \
    find node_modules -name '*.md' -o -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' | xargs rm -f && \
    mv package.json package-lock.json node_modules packages /app/

FROM ${NODE_BASE}
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home isobar
COPY --from=build /app/ /app/
WORKDIR /app
ENV PATH=/app/bin:$PATH \
    NODE_ENV=production \
    ISOBAR_HOME=/tmp/isobar
USER 10001:10001
# Services answer on /ready (registry, console: /health); the simulator has no HTTP port (no URL: alive = healthy).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=6 \
  CMD ["node", "-e", "const u=process.env.ISOBAR_HEALTH_URL;if(!u)process.exit(0);fetch(u,{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["isobar-entrypoint"]
CMD ["--help"]
