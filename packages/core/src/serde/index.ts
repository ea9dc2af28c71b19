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
export { DEFAULT_MAX_JSON_DEPTH, checkJsonValue, parseJsonPayload } from './strict-json.ts'
export { SubjectSchemaIds, type SchemaUsageSource, type SubjectSchemaIdsOptions } from './subject-ids.ts'
export { JsonSerde, type Deserialized, type Prepared, type PrepareOptions, type SchemaSource } from './json-serde.ts'
export {
  displayBytes,
  displayText,
  isFramed,
  jsonMessageDecoder,
  registryMessageDecoder,
  type DecodeContext,
  type DecodedPayload,
  type DisplayedBytes,
  type MessageDecoder,
} from './message-decoder.ts'
export { createJsonValueEncoder, type JsonValueEncoderOptions } from './value-encoder.ts'
export {
  fitDeadLetter,
  headerBytes,
  recordBytes,
  sha256Hex,
  type FittedDeadLetter,
  type Truncation,
} from './dead-letter-record.ts'
export {
  DEAD_LETTERS_METRIC,
  DEFAULT_MAX_DEAD_LETTER_BYTES,
  DLQ_HEADERS,
  DeadLetterRouter,
  deadLetterHeader,
  decodeRecords,
  defaultDeadLetterTopic,
  type DeadLetterRouterOptions,
  type DecodeResult,
  type ProducerRejection,
} from './dead-letter.ts'
export { linearPatternProblem, linearRegExp, type PatternMatcher } from './linear-regexp.ts'
export {
  REPLAYED_FROM_HEADER,
  deadLetterCode,
  deadLetterSourceTopic,
  deadLetterTruncation,
  planReplay,
  replayDeadLetters,
  type ReplayOptions,
  type ReplayOutcome,
  type ReplayPlan,
} from './dead-letter-replay.ts'
