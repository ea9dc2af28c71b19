# Apache Kafka (KRaft, combined broker+controller) from the Maven Central jars the project already fetches
# (`npm run kafka:jars` → packages/kafka-local/lib/<version>), with Prometheus' JMX exporter agent on :7071.
# Build from the repository root:  docker build -f deploy/docker/kafka.Dockerfile -t isobar/kafka .
# Configured by environment variables (see kafka-entrypoint.sh): KAFKA_NODE_ID, KAFKA_CONTROLLER_QUORUM_VOTERS,
# KAFKA_CLUSTER_ID, KAFKA_EXTERNAL_ADVERTISED, KAFKA_HEAP_MB, and KAFKA_CFG_<PROPERTY> for any broker property.
#
# JRE_BASE: the public eclipse-temurin:17-jre by default; a Debian base without Java gets Debian's
# openjdk-17-jre-headless (CI builds on a locally imported Debian bookworm).
ARG JRE_BASE=eclipse-temurin:17-jre
FROM ${JRE_BASE}
ARG KAFKA_VERSION=4.2.2
RUN if ! command -v java >/dev/null 2>&1; then \
      mkdir -p /usr/share/man/man1 && apt-get update -q && \
      apt-get install -y -q --no-install-recommends openjdk-17-jre-headless && \
      rm -rf /var/lib/apt/lists/*; \
    fi && \
    useradd --system --uid 10002 --user-group --home-dir /opt/kafka --no-create-home kafka && \
    mkdir -p /var/lib/kafka/data /opt/kafka/config && chown -R kafka:kafka /var/lib/kafka /opt/kafka/config
COPY packages/kafka-local/lib/${KAFKA_VERSION}/ /opt/kafka/libs/
COPY packages/kafka-local/lib/jmx/jmx_prometheus_javaagent.jar /opt/kafka/jmx/jmx_prometheus_javaagent.jar
COPY deploy/jmx/kafka.yml /opt/kafka/jmx/kafka.yml
COPY deploy/docker/kafka-log4j2.xml /opt/kafka/log4j2.xml
COPY deploy/docker/kafka-entrypoint.sh /opt/kafka/bin/kafka-entrypoint
USER 10002:10002
VOLUME /var/lib/kafka/data
# 9092 clients (containers), 9094 clients (published, KAFKA_EXTERNAL_ADVERTISED), 9093 controllers, 7071 metrics.
EXPOSE 9092 9093 9094 7071
# The client listener accepts connections: the broker has caught up with the metadata log and is serving.
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=6 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9092"]
ENTRYPOINT ["/opt/kafka/bin/kafka-entrypoint"]
