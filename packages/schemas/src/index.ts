// @isobar/schemas: JSON Schemas (2020-12) of every Isobar message, the types derived from them, the topic catalogue.
export { JSON_SCHEMA_DRAFT } from './common.ts'
export {
  weatherObservationV1,
  weatherObservationV2,
  type WeatherObservation,
  type WeatherObservationV1,
  type WeatherObservationV2,
} from './messages/weather-observation.ts'
export {
  sensorReadingV1,
  sensorReadingV2,
  sensorReadingV3,
  type SensorReading,
  type SensorReadingV1,
  type SensorReadingV2,
  type SensorReadingV3,
} from './messages/sensor-reading.ts'
export {
  windowAggregateV1,
  windowAggregateV2,
  windowAggregateV3,
  type WindowAggregate,
  type WindowAggregateV1,
  type WindowAggregateV2,
  type WindowAggregateV3,
} from './messages/window-aggregate.ts'
export { alertV1, alertV2, type Alert, type AlertV1, type AlertV2 } from './messages/alert.ts'
export { alertCommandV1, type AlertCommand, type AlertCommandV1 } from './messages/alert-command.ts'
export {
  deadLetterEnvelopeV1,
  type DeadLetterEnvelope,
  type DeadLetterEnvelopeV1,
} from './messages/dead-letter-envelope.ts'
export {
  SUBJECT_COMPATIBILITY,
  TOPICS,
  TopicNames,
  latestSchema,
  topicSpec,
  valueSubject,
  type TopicName,
  type TopicSpec,
} from './topics.ts'
export { registerCatalogue, type RegisteredSubject } from './register.ts'
export { readDeadLetterEnvelope } from './dead-letters.ts'
export {
  WEATHER_SOURCE_DESCRIPTIONS,
  WEATHER_SOURCE_NAMES,
  isWeatherSourceName,
  type WeatherSourceName,
} from './weather-sources.ts'
