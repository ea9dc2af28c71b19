/**
 * Which schema ids a consumer accepts on a topic: the registered versions of its subject (`<topic>-value`),
 * asked of the registry once per id and cached. A framed value whose id is unknown to the registry, or belongs
 * to another subject (another topic's schema), is poison: it goes to the dead-letter topic with that reason
 * instead of being read as if it were the topic's own type. Positive answers are cached forever (a version
 * stays a version); negative ones for `negativeTtlMs`, so a schema registered later under the subject is seen.
 */
import { SchemaSubjectMismatchError, UnknownSchemaIdError } from './errors.ts'
import type { SchemaRegistryClient } from './registry-client.ts'

export type SchemaUsageSource = Pick<SchemaRegistryClient, 'getSchemaUsages' | 'listVersions' | 'getVersion'>

export interface SubjectSchemaIdsOptions {
  /** Without a registry no id can be checked: every framed value is refused (UNKNOWN_SCHEMA_ID). */
  registry: SchemaUsageSource | undefined
  subject: string
  /** How long an id found foreign or unknown stays refused without asking again. Default 60 s. */
  negativeTtlMs?: number
  clock?: () => number
}

type Verdict = { ok: true } | { ok: false; error: Error; until: number }

export class SubjectSchemaIds {
  readonly subject: string
  readonly #registry: SchemaUsageSource | undefined
  readonly #ttl: number
  readonly #clock: () => number
  readonly #verdicts = new Map<number, Verdict>()
  readonly #pending = new Map<number, Promise<void>>()

  constructor(options: SubjectSchemaIdsOptions) {
    this.subject = options.subject
    this.#registry = options.registry
    this.#ttl = options.negativeTtlMs ?? 60_000
    this.#clock = options.clock ?? Date.now
  }

  /** Learns the subject's current versions up front (a missing subject is fine: nothing is known yet). */
  async preload(): Promise<void> {
    if (!this.#registry) return
    let versions: number[]
    try {
      versions = await this.#registry.listVersions(this.subject)
    } catch (error) {
      if ((error as { errorCode?: unknown }).errorCode === 40401) return
      throw error
    }
    for (const version of versions) {
      const { id } = await this.#registry.getVersion(this.subject, version)
      this.#verdicts.set(id, { ok: true })
    }
  }

  /**
   * Synchronous check: true when the id is a version of the subject; throws the poison error when it is known
   * not to be; false when the registry has not been asked yet (then `await resolve(id)` and check again).
   */
  check(schemaId: number): boolean {
    if (!this.#registry) {
      throw new UnknownSchemaIdError(schemaId, new Error(`no schema registry configured to check ${this.subject}`))
    }
    const verdict = this.#verdicts.get(schemaId)
    if (!verdict) return false
    if (verdict.ok) return true
    if (verdict.until > this.#clock()) throw verdict.error
    this.#verdicts.delete(schemaId)
    return false
  }

  /** Asks the registry about an id (one request per id at a time). Rejects only on transient registry errors. */
  resolve(schemaId: number): Promise<void> {
    const registry = this.#registry
    if (!registry) return Promise.resolve()
    const pending = this.#pending.get(schemaId)
    if (pending) return pending
    const lookup = registry
      .getSchemaUsages(schemaId)
      .then(
        (usages) => {
          const subjects = [...new Set(usages.map((u) => u.subject))]
          this.#verdicts.set(
            schemaId,
            subjects.includes(this.subject)
              ? { ok: true }
              : this.#refused(new SchemaSubjectMismatchError(schemaId, this.subject, subjects)),
          )
        },
        (error: unknown) => {
          if (!(error instanceof UnknownSchemaIdError)) throw error
          this.#verdicts.set(schemaId, this.#refused(error))
        },
      )
      .finally(() => this.#pending.delete(schemaId))
    this.#pending.set(schemaId, lookup)
    return lookup
  }

  /** Asynchronous check: resolves when the id is a version of the subject, throws the poison error otherwise. */
  async verify(schemaId: number): Promise<void> {
    if (this.check(schemaId)) return
    await this.resolve(schemaId)
    if (!this.check(schemaId)) throw new UnknownSchemaIdError(schemaId)
  }

  #refused(error: Error): Verdict {
    return { ok: false, error, until: this.#clock() + this.#ttl }
  }
}
