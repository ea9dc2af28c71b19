#!/usr/bin/env bash
# One combined broker+controller KRaft node, configured from the environment:
#   KAFKA_NODE_ID                  this node's id (required)
#   KAFKA_CONTROLLER_QUORUM_VOTERS static quorum, e.g. 1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093 (required)
#   KAFKA_CLUSTER_ID               the same 22-character id on every node (required; `kafka-storage random-uuid`)
#   KAFKA_ADVERTISED_HOST          name other containers reach this node by (default: the container's hostname)
#   KAFKA_EXTERNAL_ADVERTISED      host:port clients outside the compose network use (optional; listener :9094)
#   KAFKA_REPLICATION_FACTOR       default and internal topics' RF (default 3); min.insync.replicas is RF-1 (≥1)
#   KAFKA_HEAP_MB                  heap (default 512)
#   KAFKA_CFG_<NAME>               any broker property, NAME upper-cased with dots as underscores
#                                  (KAFKA_CFG_LOG_RETENTION_HOURS=24 → log.retention.hours=24); overrides the above
# The data directory is formatted on first start only; later starts reuse it (a named volume).
set -euo pipefail
: "${KAFKA_NODE_ID:?KAFKA_NODE_ID is required}"
: "${KAFKA_CONTROLLER_QUORUM_VOTERS:?KAFKA_CONTROLLER_QUORUM_VOTERS is required}"
: "${KAFKA_CLUSTER_ID:?KAFKA_CLUSTER_ID is required}"
host="${KAFKA_ADVERTISED_HOST:-$(hostname)}"
rf="${KAFKA_REPLICATION_FACTOR:-3}"
min_isr=$((rf > 1 ? rf - 1 : 1))
data=/var/lib/kafka/data
config=/opt/kafka/config/server.properties
libs='/opt/kafka/libs/*'

listeners="INTERNAL://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093"
advertised="INTERNAL://${host}:9092"
if [ -n "${KAFKA_EXTERNAL_ADVERTISED:-}" ]; then
  listeners="${listeners},EXTERNAL://0.0.0.0:9094"
  advertised="${advertised},EXTERNAL://${KAFKA_EXTERNAL_ADVERTISED}"
fi

{
  echo "# Written by kafka-entrypoint on every start from the container's environment."
  echo "process.roles=broker,controller"
  echo "node.id=${KAFKA_NODE_ID}"
  echo "controller.quorum.voters=${KAFKA_CONTROLLER_QUORUM_VOTERS}"
  echo "listeners=${listeners}"
  echo "advertised.listeners=${advertised}"
  echo "listener.security.protocol.map=INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT"
  echo "inter.broker.listener.name=INTERNAL"
  echo "controller.listener.names=CONTROLLER"
  echo "log.dirs=${data}"
  echo "num.partitions=1"
  echo "default.replication.factor=${rf}"
  echo "min.insync.replicas=${min_isr}"
  echo "offsets.topic.replication.factor=${rf}"
  echo "offsets.topic.num.partitions=10"
  echo "transaction.state.log.replication.factor=${rf}"
  echo "transaction.state.log.min.isr=${min_isr}"
  echo "transaction.state.log.num.partitions=4"
  echo "share.coordinator.state.topic.replication.factor=${rf}"
  echo "share.coordinator.state.topic.min.isr=${min_isr}"
  echo "group.initial.rebalance.delay.ms=0"
  echo "auto.create.topics.enable=false"
  echo "log.cleaner.dedupe.buffer.size=33554432"
  echo "broker.heartbeat.interval.ms=1000"
  echo "broker.session.timeout.ms=6000"
  echo "num.network.threads=2"
  echo "num.io.threads=4"
  echo "background.threads=4"
  while IFS='=' read -r name value; do
    property="$(printf '%s' "${name#KAFKA_CFG_}" | tr '[:upper:]_' '[:lower:].')"
    echo "${property}=${value}"
  done < <(env | grep '^KAFKA_CFG_' || true)
} >"${config}"

if [ ! -f "${data}/meta.properties" ]; then
  echo "kafka-entrypoint: formatting ${data} for cluster ${KAFKA_CLUSTER_ID}, node ${KAFKA_NODE_ID}"
  java -Dlog4j2.configurationFile=/opt/kafka/log4j2.xml -cp "${libs}" kafka.tools.StorageTool \
    format -t "${KAFKA_CLUSTER_ID}" -c "${config}" --ignore-formatted
fi

heap="${KAFKA_HEAP_MB:-512}"
exec java "-Xms${heap}m" "-Xmx${heap}m" -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
  -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 \
  -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
  "-javaagent:/opt/kafka/jmx/jmx_prometheus_javaagent.jar=7071:/opt/kafka/jmx/kafka.yml" \
  -Dlog4j2.configurationFile=/opt/kafka/log4j2.xml -Dkafka.logs.dir=/tmp \
  -cp "${libs}" kafka.Kafka "${config}"
