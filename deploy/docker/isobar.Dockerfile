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
# Behind a TLS-intercepting proxy: its CA bundle in deploy/docker/build-ca/*.pem (build stage only).
COPY deploy/docker/build-ca/ /tmp/build-ca/
COPY deploy/docker/isobar-entrypoint.sh /app/bin/isobar-entrypoint
# A base without Node 24: Debian's npm (Node 18) fetches Node 24 (the `node` package the project pins) and npm 11,
# which then install the project like on a developer's machine (Node 18 would skip optional native bindings).
ENV PATH=/opt/node24/bin:$PATH
RUN if ls /tmp/build-ca/*.pem >/dev/null 2>&1; then cat /tmp/build-ca/*.pem > /tmp/build-ca.pem; fi && \
    if [ "$(node --version 2>/dev/null | cut -d. -f1)" != "v24" ]; then \
      apt-get update -q && apt-get install -y -q --no-install-recommends nodejs npm ca-certificates && \
      rm -rf /var/lib/apt/lists/* && mkdir -p /opt/node24/bin && cd /opt/node24 && \
      if [ -f /tmp/build-ca.pem ]; then npm config set cafile /tmp/build-ca.pem; fi && \
      npm install --no-save --no-audit --no-fund --loglevel=error node@24.21.0 npm@11.19.1 && \
      ln -s /opt/node24/node_modules/node/bin/node bin/node && \
      printf '#!/bin/sh\nexec /opt/node24/bin/node /opt/node24/node_modules/npm/bin/npm-cli.js "$@"\n' > bin/npm && \
      chmod +x bin/npm; \
    fi && \
    if [ -f /tmp/build-ca.pem ]; then npm config set cafile /tmp/build-ca.pem; fi && node --version && npm --version
WORKDIR /src
# Manifests first: the dependency layer is rebuilt only when a manifest changes.
COPY package.json package-lock.json tsconfig.base.json ./
# npm ci's postinstall patches a dependency (scripts/patch-dependencies.js).
COPY scripts/patch-dependencies.js scripts/
COPY --from=manifests /src/packages/ packages/
RUN npm ci --no-audit --no-fund --loglevel=error
COPY packages/ packages/
# The console's browser bundle (Vite), then only production dependencies, all assembled in /app so the runtime
# stage copies one layer. Node 24 is kept aside first when the base had no Node 24: it is the project's `node`
# devDependency, which the prune removes.
RUN npm run build --silent && \
    if [ -d /opt/node24 ]; then cp node_modules/node/bin/node /app/bin/node; fi && \
    npm prune --omit=dev --no-audit --no-fund --loglevel=error && \
    rm -rf packages/web/src packages/*/test packages/*/test-chaos && \
    find node_modules -name '*.md' -o -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' | xargs rm -f && \
    mv package.json package-lock.json tsconfig.base.json node_modules packages /app/

FROM ${NODE_BASE}
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home isobar
COPY --from=build /app/ /app/
# Few metadata steps: with the classic builder on vfs each one is a full copy of the image.
ENV PATH=/app/bin:$PATH NODE_ENV=production ISOBAR_HOME=/tmp/isobar
USER 10001:10001
# Services answer on /ready (registry, console: /health); the simulator has no HTTP port (no URL: alive = healthy).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=6 \
  CMD ["node", "-e", "const u=process.env.ISOBAR_HEALTH_URL;if(!u)process.exit(0);fetch(u,{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["isobar-entrypoint"]
