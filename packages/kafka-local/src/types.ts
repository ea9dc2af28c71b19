import type { BrokerMetricsOptions } from './jmx.ts'
import type { BrokerConfigValue, NodeCount } from './config.ts'
import type { LocalPrincipal } from './security/principals.ts'

/** `none`: PLAINTEXT, no authorization. `sasl_ssl`: SCRAM-SHA-512 over TLS and ACLs (docs/security.md). */
export type LocalKafkaSecurityMode = 'none' | 'sasl_ssl'

/** How clients reach a secured cluster; the secrets themselves stay in the files named here (0600). */
export interface LocalKafkaSecurity {
  protocol: 'SASL_SSL'
  mechanism: 'SCRAM-SHA-512'
  /** PEM certificate of the cluster's own CA. */
  caFile: string
  /** Java client properties file per principal (credentials + truststore), for Kafka's tools and the CLI. */
  clients: Record<LocalPrincipal, string>
}

export interface NodeInfo {
  nodeId: number
  /** Pid of the node's JVM when it was last started (it may have died since: see localKafkaStatus). */
  pid: number
  /** PLAINTEXT port on 127.0.0.1, the one clients use. */
  port: number
  controllerPort: number
  /** node-N/ under the cluster dir: server.properties, log4j2.xml, stdout.log, server.log. */
  dir: string
  dataDir: string
  /** The broker's rolling server.log. JVM crashes before logging starts land in stdout.log next to it. */
  logFile: string
}

/** The record kept in `<homeDir>/kafka/<name>/cluster.json` while the cluster runs. */
export interface LocalKafkaCluster {
  name: string
  /** `127.0.0.1:9092`, or a comma-separated list for 3 nodes. */
  bootstrapServers: string
  nodes: NodeInfo[]
  kafkaVersion: string
  libDir: string
  /** True when startLocalKafka found this cluster already running and did not start it. */
  reused: boolean
  /** `<homeDir>/kafka/<name>`. */
  dir: string
  clusterId: string
  heapMb: number
  java: string
  startedAt: string
  /** Present when the cluster runs with SASL_SSL and ACLs. */
  security?: LocalKafkaSecurity
  /** Present when the brokers run with the JMX exporter agent (node n on basePort + n - 1). */
  metrics?: BrokerMetricsOptions
}

export type KafkaLocalProgressStep = 'jars' | 'reuse' | 'format' | 'spawn' | 'ready'

export interface KafkaLocalProgress {
  step: KafkaLocalProgressStep
  message: string
}

export interface StartLocalKafkaOptions {
  /** Parent of all local state, e.g. `<repo>/.isobar`; the cluster lives in `<homeDir>/kafka/<name>`. */
  homeDir: string
  name?: string
  nodes?: NodeCount
  /** 1 node: 9092 (controller 9093). 3 nodes: 19092, node n on basePort + 2(n-1), its controller one above. */
  basePort?: number
  kafkaVersion?: string
  /** Where ensureKafkaJars keeps the per-version lib dirs. */
  libRoot?: string
  /** -Xms and -Xmx of each broker JVM. */
  heapMb?: number
  readyTimeoutMs?: number
  /** Extra server.properties entries, applied after the generated ones (they win). */
  brokerConfig?: Readonly<Record<string, BrokerConfigValue>>
  /** The java executable; defaults to `java` on the PATH. */
  java?: string
  mvn?: string
  /**
   * Default: how the existing storage was formatted, else `none`. Changing it re-formats the storage (SCRAM users
   * are written at format time), so the data of the other mode is dropped.
   */
  security?: LocalKafkaSecurityMode
  /** Run the brokers with the JMX exporter agent (applies to a fresh start; a running cluster is reused as is). */
  metrics?: BrokerMetricsOptions
  onProgress?: (progress: KafkaLocalProgress) => void
}

export interface ClusterRef {
  homeDir: string
  name?: string
}

export interface NodeStatus {
  nodeId: number
  pid: number
  alive: boolean
  port: number
  listening: boolean
}

export interface LocalKafkaStatus {
  /** Every node's JVM is alive and accepts connections on its client port. */
  running: boolean
  cluster?: LocalKafkaCluster
  nodes: NodeStatus[]
}

export interface StopLocalKafkaOptions extends ClusterRef {
  /** SIGKILL for nodes still alive after this long. */
  timeoutMs?: number
  /** Also delete the cluster dir: data, logs, configs. */
  removeData?: boolean
}

export interface NodeLogFiles {
  nodeId: number
  serverLog: string
  stdoutLog: string
}
