# Stand-in for prom/prometheus where no image registry is reachable (CI): Debian's prometheus package on a
# Debian base, same entrypoint contract (compose passes the flags) and `wget` for the health check.
ARG DEBIAN_BASE=debian:bookworm-slim
FROM ${DEBIAN_BASE}
RUN apt-get update -q && apt-get install -y -q --no-install-recommends prometheus wget && \
    rm -rf /var/lib/apt/lists/* && mkdir -p /prometheus && chown nobody:nogroup /prometheus
USER nobody
WORKDIR /prometheus
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
