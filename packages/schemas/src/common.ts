/**
 * Schema fragments shared by the message schemas. They are spread into `as const` schema objects, so the
 * schema stays the single source of truth and `FromSchema` derives the TypeScript types from it.
 * Units are SI (or SI-prefixed / accepted for use with SI) and spelled in every field name.
 * Every message carries two times: `eventTimeMs` (when it happened, at the source) and `ingestTimeMs` (when
 * Isobar received it), both integer milliseconds since the Unix epoch, UTC.
 */

export const JSON_SCHEMA_DRAFT = 'https://json-schema.org/draft/2020-12/schema'

export const epochMs = {
  type: 'integer',
  minimum: 0,
  maximum: 8640000000000000,
} as const

export const eventTimeMs = {
  ...epochMs,
  description: 'Event time: when the measurement was taken at the source (ms since the Unix epoch, UTC)',
} as const

export const ingestTimeMs = {
  ...epochMs,
  description: 'Ingest time: when Isobar received it (ms since the Unix epoch, UTC)',
} as const

/** Lower-case identifiers: `<scheme>:<id>`, e.g. `metar:KDAL`, `om:52.52,13.41`, `mote:1`. */
export const entityId = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  pattern: '^[a-z0-9-]+:[A-Za-z0-9._,:/-]+$',
} as const

/** Plain words (a zone id may be dotted, `<site>.<zone>`), so `zone:<zoneId>` is a valid entity id downstream. */
export const siteId = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'The site the device belongs to, e.g. s01',
} as const

export const zoneId = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_.-]+$',
  description: 'The site-unique zone the device is installed in, e.g. s01.z2; zone statistics group by it',
} as const

export const temperatureC = {
  type: 'number',
  minimum: -273.15,
  maximum: 1000,
  description: 'Air temperature, degree Celsius',
} as const

export const relativeHumidityPct = {
  type: 'number',
  minimum: 0,
  maximum: 100,
  description: 'Relative humidity, percent',
} as const

export const pressurePa = {
  type: 'number',
  minimum: 0,
  maximum: 200000,
  description: 'Pressure, pascal',
} as const

export const location = {
  type: 'object',
  description: 'WGS 84 position',
  properties: {
    latitudeDeg: { type: 'number', minimum: -90, maximum: 90 },
    longitudeDeg: { type: 'number', minimum: -180, maximum: 180 },
    elevationM: { type: 'number', minimum: -500, maximum: 9000, description: 'Height above mean sea level, metre' },
  },
  required: ['latitudeDeg', 'longitudeDeg'],
  additionalProperties: false,
} as const
