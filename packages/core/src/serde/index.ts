// Serdes: Confluent wire format, Schema Registry client, cached ajv validators, dead-letter routing.
export * from './errors.ts'
export {
  MAGIC_BYTE,
  FRAME_HEADER_BYTES,
  encodeFrame,
  encodeJsonFrame,
  decodeFrame,
  type DecodedFrame,
} from './wire-format.ts'
export {
  SchemaRegistryClient,
  type CompatibilityCheck,
  type RegisteredSchema,
  type RegistryConfig,
  type RegistryReference,
  type SchemaInput,
  type SchemaRegistryClientOptions,
  type SubjectVersion,
} from './registry-client.ts'
export { ValidatorCache, type Validator } from './validators.ts'
export { JsonSerde, type Deserialized, type Prepared, type PrepareOptions, type SchemaSource } from './json-serde.ts'
export { createJsonValueEncoder, type JsonValueEncoderOptions } from './value-encoder.ts'
export {
  DEAD_LETTERS_METRIC,
  DLQ_HEADERS,
  DeadLetterRouter,
  deadLetterHeader,
  decodeRecords,
  defaultDeadLetterTopic,
  type DeadLetterRouterOptions,
  type DecodeResult,
  type ProducerRejection,
} from './dead-letter.ts'
