/**
 * A small Confluent Schema Registry HTTP client: the endpoints serdes and the CLI need. Node's fetch keeps
 * connections alive (undici pools them per origin), so the hot path pays no TCP handshake. Schemas fetched by
 * id are immutable and cached in-process forever; concurrent misses for one id share one request.
 */
import { RegistryRequestError, UnknownSchemaIdError } from './errors.ts'

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json'

export interface RegistryReference {
  name: string
  subject: string
  version: number
}

export interface SchemaInput {
  /** The schema as text, or as an object (serialised with JSON.stringify). */
  schema: string | object
  /** Default 'JSON'. */
  schemaType?: string
  references?: RegistryReference[]
}

export interface RegisteredSchema {
  id: number
  schema: string
  schemaType: string
  references: RegistryReference[]
}

export interface SubjectVersion extends RegisteredSchema {
  subject: string
  version: number
}

export interface CompatibilityCheck {
  isCompatible: boolean
  messages: string[]
}

export interface RegistryConfig {
  compatibilityLevel: string
  [key: string]: unknown
}

export interface SchemaRegistryClientOptions {
  /** Base URL, e.g. http://127.0.0.1:8081. */
  url: string
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number
}

type Query = Record<string, string | number | boolean | undefined>

function schemaText(schema: string | object): string {
  return typeof schema === 'string' ? schema : JSON.stringify(schema)
}

function body(input: SchemaInput): string {
  return JSON.stringify({
    schema: schemaText(input.schema),
    schemaType: input.schemaType ?? 'JSON',
    ...(input.references && input.references.length > 0 ? { references: input.references } : {}),
  })
}

function seg(value: string | number): string {
  return encodeURIComponent(String(value))
}

interface RawSchema {
  id?: number
  schema?: string
  schemaType?: string
  references?: RegistryReference[]
  subject?: string
  version?: number
}

function toRegistered(raw: RawSchema, id: number): RegisteredSchema {
  return { id, schema: raw.schema ?? '', schemaType: raw.schemaType ?? 'AVRO', references: raw.references ?? [] }
}

function toSubjectVersion(raw: RawSchema): SubjectVersion {
  return { ...toRegistered(raw, raw.id ?? 0), subject: raw.subject ?? '', version: raw.version ?? 0 }
}

export class SchemaRegistryClient {
  readonly url: string
  readonly #timeoutMs: number
  readonly #byId = new Map<number, Promise<RegisteredSchema>>()

  constructor(options: SchemaRegistryClientOptions) {
    this.url = options.url.replace(/\/+$/, '')
    this.#timeoutMs = options.timeoutMs ?? 10_000
  }

  async #request<T>(method: string, path: string, options: { query?: Query; body?: string } = {}): Promise<T> {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) params.set(key, String(value))
    }
    const query = params.size > 0 ? `?${params.toString()}` : ''
    let response: Response
    try {
      response = await fetch(`${this.url}${path}${query}`, {
        method,
        headers: {
          accept: CONTENT_TYPE,
          ...(options.body === undefined ? {} : { 'content-type': CONTENT_TYPE }),
        },
        ...(options.body === undefined ? {} : { body: options.body }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      })
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new RegistryRequestError(method, path, 0, 0, `not reachable at ${this.url} (${reason})`, { cause: error })
    }
    const text = await response.text()
    let parsed: unknown
    try {
      parsed = text === '' ? undefined : JSON.parse(text)
    } catch {
      parsed = undefined
    }
    if (!response.ok) {
      const err = (parsed ?? {}) as { error_code?: unknown; message?: unknown }
      const errorCode = typeof err.error_code === 'number' ? err.error_code : response.status
      const message = typeof err.message === 'string' ? err.message : `HTTP ${response.status} ${text.slice(0, 200)}`
      throw new RegistryRequestError(method, path, response.status, errorCode, message)
    }
    return parsed as T
  }

  /** Registers the schema under the subject (idempotent: an identical schema returns its existing id). */
  async register(subject: string, input: SchemaInput, options: { normalize?: boolean } = {}): Promise<number> {
    const raw = await this.#request<{ id: number }>('POST', `/subjects/${seg(subject)}/versions`, {
      body: body(input),
      query: { normalize: options.normalize },
    })
    return raw.id
  }

  /** The (id, version) of this exact schema in the subject; 40401/40403 when absent. */
  async lookup(subject: string, input: SchemaInput, options: { normalize?: boolean } = {}): Promise<SubjectVersion> {
    const raw = await this.#request<RawSchema>('POST', `/subjects/${seg(subject)}`, {
      body: body(input),
      query: { normalize: options.normalize },
    })
    return toSubjectVersion({ subject, ...raw })
  }

  /** A schema by its global id; cached forever (ids are immutable). Unknown id → UnknownSchemaIdError. */
  getSchemaById(id: number): Promise<RegisteredSchema> {
    const cached = this.#byId.get(id)
    if (cached) return cached
    const pending = this.#request<RawSchema>('GET', `/schemas/ids/${id}`).then(
      (raw) => toRegistered(raw, id),
      (error: unknown) => {
        this.#byId.delete(id) // never cache a failure
        if (error instanceof RegistryRequestError && error.errorCode === 40403)
          throw new UnknownSchemaIdError(id, error)
        throw error
      },
    )
    this.#byId.set(id, pending)
    return pending
  }

  /** The subject versions that use a schema id (`GET /schemas/ids/{id}/versions`). Unknown id → UnknownSchemaIdError. */
  async getSchemaUsages(id: number): Promise<Array<{ subject: string; version: number }>> {
    try {
      return await this.#request<Array<{ subject: string; version: number }>>('GET', `/schemas/ids/${id}/versions`)
    } catch (error) {
      if (error instanceof RegistryRequestError && (error.errorCode === 40403 || error.status === 404))
        throw new UnknownSchemaIdError(id, error)
      throw error
    }
  }

  async getVersion(subject: string, version: number | 'latest' = 'latest'): Promise<SubjectVersion> {
    const raw = await this.#request<RawSchema>('GET', `/subjects/${seg(subject)}/versions/${seg(version)}`)
    return toSubjectVersion({ subject, ...raw })
  }

  listSubjects(options: { prefix?: string; deleted?: boolean } = {}): Promise<string[]> {
    return this.#request<string[]>('GET', '/subjects', {
      query: { subjectPrefix: options.prefix, deleted: options.deleted },
    })
  }

  listVersions(subject: string, options: { deleted?: boolean } = {}): Promise<number[]> {
    return this.#request<number[]>('GET', `/subjects/${seg(subject)}/versions`, {
      query: { deleted: options.deleted },
    })
  }

  /** Soft delete (or hard with permanent, which requires a soft delete first). Returns the deleted versions. */
  deleteSubject(subject: string, options: { permanent?: boolean } = {}): Promise<number[]> {
    return this.#request<number[]>('DELETE', `/subjects/${seg(subject)}`, {
      query: { permanent: options.permanent },
    })
  }

  deleteVersion(subject: string, version: number | 'latest', options: { permanent?: boolean } = {}): Promise<number> {
    return this.#request<number>('DELETE', `/subjects/${seg(subject)}/versions/${seg(version)}`, {
      query: { permanent: options.permanent },
    })
  }

  /** Would this schema be accepted as the subject's next version (or against one given version)? */
  async checkCompatibility(
    subject: string,
    input: SchemaInput,
    version: number | 'latest' | 'all' = 'all',
  ): Promise<CompatibilityCheck> {
    const path =
      version === 'all'
        ? `/compatibility/subjects/${seg(subject)}/versions`
        : `/compatibility/subjects/${seg(subject)}/versions/${seg(version)}`
    const raw = await this.#request<{ is_compatible: boolean; messages?: string[] }>('POST', path, {
      body: body(input),
      query: { verbose: true },
    })
    return { isCompatible: raw.is_compatible, messages: raw.messages ?? [] }
  }

  /** The subject's compatibility config (or the global one without a subject). */
  getConfig(subject?: string, options: { defaultToGlobal?: boolean } = {}): Promise<RegistryConfig> {
    return this.#request<RegistryConfig>('GET', subject === undefined ? '/config' : `/config/${seg(subject)}`, {
      query: { defaultToGlobal: options.defaultToGlobal },
    })
  }

  async setConfig(subject: string | undefined, compatibility: string): Promise<RegistryConfig> {
    const raw = await this.#request<{ compatibility: string }>(
      'PUT',
      subject === undefined ? '/config' : `/config/${seg(subject)}`,
      { body: JSON.stringify({ compatibility }) },
    )
    return { compatibilityLevel: raw.compatibility }
  }
}
