/**
 * Validating JSON Schema serde over the Confluent wire format and a Schema Registry.
 * Producer side: `prepare(subject, schema)` once (registers or looks the schema up), then `serialize` validates
 * every value before it is framed; an invalid value throws SchemaViolationError and is never sent.
 * Consumer side: `deserialize(buffer)` decodes whichever registered version wrote the message (by its id) and
 * validates it against that writer schema. Schemas and validators are cached per id, so after the first message
 * of a version both directions are pure CPU.
 */
import { RegistryRequestError, SchemaViolationError, SerdeNotPreparedError, UnknownSchemaIdError } from './errors.ts'
import type { SchemaRegistryClient } from './registry-client.ts'
import { parseJsonPayload } from './strict-json.ts'
import type { SubjectSchemaIds } from './subject-ids.ts'
import { ValidatorCache, type Validator } from './validators.ts'
import { decodeFrame, encodeJsonFrame } from './wire-format.ts'

export interface PrepareOptions {
  /** Register the schema when the subject does not have it yet (default true); false = lookup only. */
  autoRegister?: boolean
  /**
   * How long to keep retrying retriable registry failures (unreachable, 5xx such as "Leader not known" while the
   * registry elects, 408, 429) with exponential backoff before giving up. Default 30 s: services start beside
   * their registry and must not exit because it is a second late. 0 = no retry.
   */
  retryForMs?: number
  /** Told about each retry (for one log line). */
  onRetry?: (error: RegistryRequestError, attempt: number, delayMs: number) => void
}

const FIRST_RETRY_DELAY_MS = 250
const MAX_RETRY_DELAY_MS = 5_000

/** Runs `call`, retrying retriable registry failures until `retryForMs` is spent (prepare is start-up work only). */
async function withRegistryRetry<T>(call: () => Promise<T>, options: PrepareOptions): Promise<T> {
  const deadline = Date.now() + (options.retryForMs ?? 30_000)
  for (let attempt = 1, delay = FIRST_RETRY_DELAY_MS; ; attempt++, delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS)) {
    try {
      return await call()
    } catch (error) {
      const retriable = error instanceof RegistryRequestError && error.retriable
      if (!retriable || Date.now() + delay > deadline) throw error
      options.onRetry?.(error, attempt, delay)
      await new Promise((resolve) => setTimeout(resolve, delay))
    }
  }
}

export interface Prepared {
  subject: string
  schemaId: number
}

/** The registry calls a serde makes (SchemaRegistryClient implements it; tests may pass a stub). */
export type SchemaSource = Pick<SchemaRegistryClient, 'register' | 'lookup' | 'getSchemaById' | 'getVersion'>

export interface Deserialized<T> {
  schemaId: number
  value: T
}

interface Writer {
  schemaId: number
  validate: Validator
}

export class JsonSerde {
  readonly registry: SchemaSource
  readonly #validators: ValidatorCache
  readonly #writers = new Map<string, Writer>()

  constructor(options: { registry: SchemaSource; validators?: ValidatorCache }) {
    this.registry = options.registry
    this.#validators = options.validators ?? new ValidatorCache()
  }

  /** Binds `subject` to this schema for `serialize`: registers it (or only looks it up) and compiles it. */
  async prepare(subject: string, schema: string | object, options: PrepareOptions = {}): Promise<Prepared> {
    const text = typeof schema === 'string' ? schema : JSON.stringify(schema)
    const schemaId = await withRegistryRetry(
      async () =>
        options.autoRegister === false
          ? (await this.registry.lookup(subject, { schema: text })).id
          : await this.registry.register(subject, { schema: text }),
      options,
    )
    const validate = this.#validators.compile(schemaId, text)
    this.#writers.set(subject, { schemaId, validate })
    return { subject, schemaId }
  }

  /** Binds `subject` to its latest registered version (for producers that don't own the schema). */
  async prepareLatest(
    subject: string,
    options: Pick<PrepareOptions, 'retryForMs' | 'onRetry'> = {},
  ): Promise<Prepared> {
    const latest = await withRegistryRetry(() => this.registry.getVersion(subject, 'latest'), options)
    const validate = this.#validators.compile(latest.id, latest.schema, latest.schemaType)
    this.#writers.set(subject, { schemaId: latest.id, validate })
    return { subject, schemaId: latest.id }
  }

  isPrepared(subject: string): boolean {
    return this.#writers.has(subject)
  }

  /** Validates then frames the value; synchronous once the subject is prepared. */
  serialize(subject: string, value: unknown): Buffer {
    const writer = this.#writers.get(subject)
    if (!writer) throw new SerdeNotPreparedError(subject)
    const violations = writer.validate(value)
    if (violations) throw new SchemaViolationError(writer.schemaId, subject, violations)
    return encodeJsonFrame(writer.schemaId, JSON.stringify(value))
  }

  /** Checks a value without serialising it: the violation as an error to report, or undefined when valid. */
  validate(subject: string, value: unknown): SchemaViolationError | undefined {
    const writer = this.#writers.get(subject)
    if (!writer) throw new SerdeNotPreparedError(subject)
    const violations = writer.validate(value)
    return violations ? new SchemaViolationError(writer.schemaId, subject, violations) : undefined
  }

  /** The validator of a schema id, fetching and compiling the schema on first use. */
  async validatorFor(schemaId: number): Promise<Validator> {
    const cached = this.#validators.get(schemaId)
    if (cached) return cached
    let schema
    try {
      schema = await this.registry.getSchemaById(schemaId)
    } catch (error) {
      // A registry that answers 404 without the Confluent body still means "no such id".
      if (error instanceof RegistryRequestError && error.status === 404) throw new UnknownSchemaIdError(schemaId, error)
      throw error
    }
    return this.#validators.compile(schemaId, schema.schema, schema.schemaType)
  }

  /**
   * Decodes a framed message written with any registered version and validates it against that version. With
   * `subject`, the id must also be a version of that subject (the topic's). Throws MalformedFrameError,
   * UnknownSchemaIdError, SchemaSubjectMismatchError, UnsupportedSchemaError, InvalidJsonError (also for invalid
   * UTF-8, non-finite numbers, deep nesting) or SchemaViolationError for a poison message; RegistryRequestError
   * (retriable) when the registry is unreachable.
   */
  async deserialize<T = unknown>(
    buffer: Buffer | null | undefined,
    options: { subject?: SubjectSchemaIds } = {},
  ): Promise<Deserialized<T>> {
    const { schemaId, payload } = decodeFrame(buffer)
    if (options.subject) await options.subject.verify(schemaId)
    const validate = this.#validators.get(schemaId) ?? (await this.validatorFor(schemaId))
    const value = parseJsonPayload(payload, schemaId)
    const violations = validate(value)
    if (violations) throw new SchemaViolationError(schemaId, options.subject?.subject, violations)
    return { schemaId, value: value as T }
  }
}
