/**
 * How observations become bytes. With a Schema Registry, core's JsonSerde validates and frames them (Confluent
 * wire format, the subject's schema id). Without one (demos, benchmarks), the same schema validates them
 * locally and they are written as plain JSON. Either way an invalid value throws SchemaViolationError.
 */
import { JsonSerde, SchemaViolationError, ValidatorCache, type PrepareOptions, type SchemaSource } from '@isobar/core'
import { OBSERVATION_SUBJECT, observationSchema, type WeatherObservation } from './observation.ts'

export interface ObservationEncoder {
  readonly format: 'registry' | 'json'
  encode(observation: WeatherObservation): Buffer
}

/** Registers (or looks up) the observation schema and binds the subject; call once at start-up. */
export async function registryEncoder(
  registry: SchemaSource,
  options: PrepareOptions = {},
): Promise<ObservationEncoder & { schemaId: number; serde: JsonSerde }> {
  const serde = new JsonSerde({ registry })
  const { schemaId } = await serde.prepare(OBSERVATION_SUBJECT, observationSchema(), options)
  return {
    format: 'registry',
    schemaId,
    serde,
    encode: (observation) => serde.serialize(OBSERVATION_SUBJECT, observation),
  }
}

export function plainJsonEncoder(): ObservationEncoder {
  // Id 0 is never a registry id: this validator is local only.
  const validate = new ValidatorCache().compile(0, JSON.stringify(observationSchema()))
  return {
    format: 'json',
    encode(observation) {
      const violations = validate(observation)
      if (violations) throw new SchemaViolationError(0, OBSERVATION_SUBJECT, violations)
      return Buffer.from(JSON.stringify(observation))
    },
  }
}
