# Stand-in for prom/alertmanager where no image registry is reachable (CI): Debian's prometheus-alertmanager
# package on a Debian base, same entrypoint contract (compose passes the flags) and `wget` for the health check.
ARG DEBIAN_BASE=debian:bookworm-slim
FROM ${DEBIAN_BASE}
RUN apt-get update -q && apt-get install -y -q --no-install-recommends prometheus-alertmanager wget && \
    rm -rf /var/lib/apt/lists/* && mkdir -p /alertmanager && chown nobody:nogroup /alertmanager
USER nobody
WORKDIR /alertmanager
EXPOSE 9093
ENTRYPOINT ["/usr/bin/prometheus-alertmanager"]
