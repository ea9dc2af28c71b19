// @isobar/ingest: the device edge (MQTT bridge, REST Proxy v2 compatible HTTP produce). A service: nothing imports
// it but its tests; the CLI spawns src/main.ts (see ingestServiceSpec in @isobar/kafka-local's mosquitto module).
export { buildIngest, type Ingest, type IngestDeps } from './app.ts'
export { ingestConfigSchema, parseIngestConfig, type IngestConfig } from './config.ts'
export { IngestErrorCodes, IngestConfigError, ReadingRejectedError, MqttBridgeError } from './errors.ts'
export { IngestMetrics } from './metrics.ts'
export { MqttBridge, type MqttBridgeOptions } from './mqtt/bridge.ts'
export { MQTT_DLQ_HEADERS } from './mqtt/dead-letter.ts'
export { REST_PROXY_JSON_V2, buildHttpIngest, type HttpIngestDeps } from './http/produce.ts'
export { ReadingCodec } from './reading-codec.ts'
