/**
 * @isobar/kafka-local: a real Apache Kafka (KRaft, 1 or 3 combined nodes on 127.0.0.1) from Maven Central jars,
 * no Docker. Everything comes in through options: this package never reads environment variables.
 */
export { KafkaLocalError, KafkaLocalErrorCatalogue, KafkaLocalErrorCodes, isKafkaLocalError } from './errors.ts'
export type { KafkaLocalErrorCode } from './errors.ts'

export { checkJava, checkMaven } from './prerequisites.ts'
export type { CheckJavaOptions, CheckMavenOptions, JavaInfo, MavenInfo } from './prerequisites.ts'

export { ensureKafkaJars, DEFAULT_KAFKA_VERSION, DEFAULT_LIB_ROOT } from './jars.ts'
export type { EnsureKafkaJarsOptions } from './jars.ts'

export { defaultBasePort } from './config.ts'
export {
  DEFAULT_METRICS_BASE_PORT,
  JMX_EXPORTER_VERSION,
  brokerMetricsPort,
  ensureJmxExporterJar,
  jmxAgentArg,
  type BrokerMetricsOptions,
} from './jmx.ts'
export type { BrokerConfigValue, NodeCount } from './config.ts'

export { startLocalKafka } from './cluster.ts'
export {
  getLocalKafka,
  localBootstrapServers,
  localKafkaConnection,
  localKafkaCredentials,
  localKafkaStatus,
  logFiles,
  restartNode,
  stopLocalKafka,
  stopNode,
} from './control.ts'
export type { LocalKafkaConnection, RestartNodeOptions, StopNodeOptions } from './control.ts'
export type { KafkaClientCredentials } from './security/credentials.ts'
export { isLocalPrincipal, LOCAL_PRINCIPALS, serviceAcls } from './security/principals.ts'
export type { AclGrant, LocalPrincipal, PrincipalAcls } from './security/principals.ts'
export type {
  ClusterRef,
  KafkaLocalProgress,
  KafkaLocalProgressStep,
  LocalKafkaCluster,
  LocalKafkaSecurity,
  LocalKafkaSecurityMode,
  LocalKafkaStatus,
  NodeInfo,
  NodeLogFiles,
  NodeStatus,
  StartLocalKafkaOptions,
  StopLocalKafkaOptions,
} from './types.ts'

export { KAFKA_TOOLS, isKafkaToolName, kafkaToolCommand, runKafkaTool } from './tools.ts'
export type {
  KafkaToolCommand,
  KafkaToolCommandOptions,
  KafkaToolName,
  KafkaToolResult,
  RunKafkaToolOptions,
} from './tools.ts'

export {
  BRIDGE_USERNAME,
  DEFAULT_MQTT_PORT,
  READINGS_TOPIC_FILTER,
  isValidMqttUsername,
  mosquittoPaths,
  mqttDeviceName,
  mqttReadingsTopic,
} from './mosquitto/config.ts'
export type { MosquittoPaths } from './mosquitto/config.ts'
export {
  mosquittoStatus,
  mqttBridgeCredentials,
  provisionMqttDevices,
  startMosquitto,
  stopMosquitto,
} from './mosquitto/control.ts'
export type { MosquittoOptions, MosquittoStatus, RunningMosquitto } from './mosquitto/control.ts'
export type { MqttCredentials } from './mosquitto/credentials.ts'

export {
  DB_NAME,
  DB_OWNER,
  DB_READER,
  DEFAULT_DB_PORT,
  postgresPaths,
  postgresUrl,
  type PostgresCredentials,
  type PostgresPaths,
} from './postgres/config.ts'
export {
  DEFAULT_POSTGRES_BIN_DIR,
  DEFAULT_RETENTION_DAYS,
  HISTORY_SCHEMA_FILE,
  postgresStatus,
  readPostgresCredentials,
  runPsql,
  startPostgres,
  stopPostgres,
} from './postgres/control.ts'
export type { PostgresOptions, PostgresStatus, RunningPostgres } from './postgres/control.ts'

export {
  CONNECT_LOG_FILE,
  DEFAULT_CONNECT_GROUP,
  DEFAULT_CONNECT_HEAP_MB,
  DEFAULT_CONNECT_PORT,
  connectPaths,
  connectTopics,
  type ConnectPaths,
} from './connect/config.ts'
export { connectStatus, startConnect, stopConnect } from './connect/control.ts'
export type { ConnectOptions, ConnectStatus, RunningConnect } from './connect/control.ts'
export {
  CONNECTORS_DIR,
  connectorState,
  connectorStates,
  deployConnectors,
  loadConnectorDefinitions,
} from './connect/deploy.ts'
export type {
  ConnectorDefinition,
  ConnectorState,
  ConnectorVariables,
  DeployConnectorsOptions,
  DeployedConnector,
} from './connect/deploy.ts'
export {
  CONVERTER_CLASS,
  DEBEZIUM_VERSION,
  POSTGRESQL_JDBC_VERSION,
  connectPluginPath,
  ensureConnectPlugins,
  pluginJars,
} from './connect/plugins.ts'
export type { EnsureConnectPluginsOptions } from './connect/plugins.ts'
