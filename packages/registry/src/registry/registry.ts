/**
 * Schema Registry operations over a `Replica`: reads answer from the state; writes compute the `_schemas`
 * records Confluent would write, append them and wait until they are applied. A SCHEMA record rejected by
 * the state (a concurrent writer won its id or version) is repaired and the registration retried.
 */
import { CheckPool, type CompatibilityChecker } from '../compatibility/check-pool.ts'
import type { CompatibilityPolicy } from '../compatibility/differences.ts'
import type { JsonCheckedSchema } from '../compatibility/json-check.ts'
import { versionsToCheck, type CompatibilityLevel, type CompatibilityResult } from '../compatibility/levels.ts'
import { schemaLimits, type SchemaLimits } from '../compatibility/limits.ts'
import { errors } from '../errors.ts'
import { loadReferencedDocuments, parseSchema, type ParsedSchema, type ReferenceResolver } from '../schema/parse.ts'
import { encodeKey, encodeSchemaValue, schemaKey, type SchemaReference } from '../store/records.ts'
import type { SchemaLog } from '../store/schema-log.ts'
import { entryValue, type VersionEntry } from '../store/state.ts'
import { parseRegisterBody, schemaResponse, validateSubject, type RegisterBody, type SchemaResponse } from './inputs.ts'
import { Replica, type ReplicaOptions } from './replica.ts'
import { Settings } from './settings.ts'
import { Deletions } from './deletions.ts'

export interface RegistryOptions extends ReplicaOptions {
  /** Global compatibility level when none is configured. Default BACKWARD. */
  defaultCompatibility?: CompatibilityLevel
  /** Bounds on schema size and shape and on the work of one compatibility check. */
  limits?: Partial<SchemaLimits>
  /** Where compatibility checks run. Default: a CheckPool of one worker thread. */
  checker?: CompatibilityChecker
}

const MAX_WRITE_ATTEMPTS = 10
/** Upper bound of the random pause before retrying a lost write, times the attempt number. */
const RETRY_JITTER_MS = 20

export class Registry {
  readonly replica: Replica
  readonly settings: Settings
  readonly deletions: Deletions
  readonly limits: SchemaLimits
  readonly checker: CompatibilityChecker

  constructor(log: SchemaLog, options: RegistryOptions = {}) {
    this.limits = schemaLimits(options.limits)
    this.checker = options.checker ?? new CheckPool()
    this.replica = new Replica(log, options)
    this.settings = new Settings(this.replica, options.defaultCompatibility ?? 'BACKWARD')
    this.deletions = new Deletions(this.replica, this.settings)
  }

  get state(): Replica['state'] {
    return this.replica.state
  }

  start(): Promise<void> {
    return this.replica.start()
  }

  /** Stops the compatibility workers (the log is closed by its owner). */
  close(): Promise<void> {
    return this.checker.close()
  }

  // ---- reads ----

  listSubjects(options: { deleted?: boolean; deletedOnly?: boolean; prefix?: string } = {}): string[] {
    const all = this.state.subjects(options.deleted === true || options.deletedOnly === true)
    const live = options.deletedOnly ? new Set(this.state.subjects(false)) : undefined
    return all.filter(
      (s) =>
        (options.prefix === undefined || s.startsWith(options.prefix)) &&
        (live === undefined || this.state.versions(s).some((e) => e.deleted)),
    )
  }

  listVersions(subject: string, options: { deleted?: boolean; deletedOnly?: boolean } = {}): number[] {
    const versions = this.state.versions(subject)
    const visible = versions.filter((e) => (options.deletedOnly ? e.deleted : options.deleted === true || !e.deleted))
    if (visible.length === 0 && !(options.deletedOnly && versions.length > 0)) throw errors.subjectNotFound(subject)
    return visible.map((e) => e.version)
  }

  /** A version by number or `latest`; soft-deleted ones only with `deleted`. */
  getVersion(subject: string, version: number | 'latest', deleted = false): VersionEntry {
    const versions = this.state.versions(subject).filter((e) => deleted || !e.deleted)
    if (versions.length === 0) throw errors.subjectNotFound(subject)
    const entry = version === 'latest' ? versions.at(-1) : versions.find((e) => e.version === version)
    if (!entry) throw errors.versionNotFound(version)
    return entry
  }

  lookup(subject: string, body: unknown, options: { normalize?: boolean; deleted?: boolean } = {}): SchemaResponse {
    validateSubject(subject)
    const input = parseRegisterBody(body)
    const versions = this.state.versions(subject).filter((e) => options.deleted === true || !e.deleted)
    if (versions.length === 0) throw errors.subjectNotFound(subject)
    const parsed = this.#parse(input, this.#normalize(subject, options.normalize))
    const match = versions.findLast((e) => e.schemaType === parsed.schemaType && e.guid === parsed.guid)
    if (!match) throw errors.schemaNotFound()
    return schemaResponse(match)
  }

  /**
   * Checks a schema against one version (`/versions/{v}`: only that one, never transitive) or against the
   * versions the subject's level selects (`all`).
   */
  async checkCompatibility(
    subject: string,
    target: number | 'latest' | 'all',
    body: unknown,
    options: { normalize?: boolean; verbose?: boolean } = {},
  ): Promise<CompatibilityResult> {
    validateSubject(subject)
    const input = parseRegisterBody(body)
    let parsed: ParsedSchema
    try {
      parsed = this.#parse(input, this.#normalize(subject, options.normalize))
    } catch (error) {
      if (options.verbose && error instanceof Error) return { compatible: false, messages: [error.message] }
      throw error
    }
    const live = this.state.liveVersions(subject)
    let previous: VersionEntry[]
    if (target === 'all') previous = live
    else if (target === 'latest') previous = live.slice(-1)
    else {
      if (this.state.versions(subject).length === 0) throw errors.subjectNotFound(subject)
      const entry = live.find((e) => e.version === target)
      if (!entry) throw errors.versionNotFound(target)
      previous = [entry]
    }
    const level = this.settings.effectiveLevel(subject)
    const selected = target === 'all' ? versionsToCheck(level, previous) : level === 'NONE' ? [] : previous
    return this.#check(level, parsed, selected, this.settings.effectivePolicy(subject))
  }

  // ---- writes ----

  /** Registers a schema under a subject (or returns the existing live version holding it). */
  async register(subject: string, body: unknown, options: { normalize?: boolean } = {}): Promise<SchemaResponse> {
    validateSubject(subject)
    const input = parseRegisterBody(body)
    return this.replica.exclusive(async () => {
      await this.replica.catchUp()
      const mode = this.settings.effectiveMode(subject)
      if (mode === 'READONLY' || mode === 'READONLY_OVERRIDE') {
        throw errors.notPermitted(`Subject ${subject} in context . is in read-only mode`)
      }
      if (input.id !== undefined && mode !== 'IMPORT') {
        throw errors.notPermitted(`Subject ${subject} is not in import mode`)
      }
      let pinned: number | undefined
      for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
        const result = await this.#tryRegister(subject, input, mode === 'IMPORT', options.normalize, pinned)
        if ('response' in result) return result.response
        pinned = result.retryVersion
        // Lost a race with another writer: back off a little so the contenders spread out, then catch up.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * RETRY_JITTER_MS * (attempt + 1)))
        await this.replica.catchUp()
      }
      throw errors.storeError(`Could not register a schema under "${subject}": concurrent writers kept winning, retry`)
    })
  }

  async #tryRegister(
    subject: string,
    input: RegisterBody,
    importing: boolean,
    normalize: boolean | undefined,
    pinned: number | undefined,
  ): Promise<{ response: SchemaResponse } | { retryVersion: number | undefined }> {
    const parsed = this.#parse(input, this.#normalize(subject, normalize))
    const all = this.state.versions(subject)
    const nextVersion = (all.at(-1)?.version ?? 0) + 1
    // A version slot where our earlier record lost only its id must get a good record (or a tombstone).
    if (pinned !== undefined && pinned !== nextVersion && !this.state.version(subject, pinned)) {
      await this.#repair(encodeKey(schemaKey(subject, pinned)), subject, pinned)
    }
    const same = all.findLast((e) => !e.deleted && e.schemaType === parsed.schemaType && e.guid === parsed.guid)
    if (same && (input.id === undefined || input.id === same.id)) {
      if (pinned === nextVersion) await this.#repair(encodeKey(schemaKey(subject, pinned)), subject, pinned)
      return { response: schemaResponse(same) }
    }

    let id: number
    let version: number
    if (importing) {
      id = input.id ?? this.state.idForIdentity(parsed.schemaType, parsed.guid) ?? this.#nextId()
      const holder = this.state.schemaById(id)
      if (holder && (holder.guid !== parsed.guid || holder.schemaType !== parsed.schemaType)) {
        throw errors.idConflict(`Overwrite new schema with id ${id} is not permitted.`)
      }
      version = input.version ?? nextVersion
    } else {
      const level = this.settings.effectiveLevel(subject)
      const previous = versionsToCheck(
        level,
        all.filter((e) => !e.deleted),
      )
      const result = await this.#check(level, parsed, previous, this.settings.effectivePolicy(subject))
      if (!result.compatible) throw errors.incompatible(subject, result.messages)
      id = this.state.idForIdentity(parsed.schemaType, parsed.guid) ?? this.#nextId()
      version = nextVersion
    }

    const key = encodeKey(schemaKey(subject, version))
    const value = {
      subject,
      version,
      id,
      schemaType: parsed.schemaType,
      references: parsed.references,
      schema: parsed.canonical,
      deleted: false,
    }
    const outcome = await this.replica.write(key, encodeSchemaValue(value))
    if (outcome.status === 'applied') {
      const entry = this.state.version(subject, version)
      if (entry) return { response: schemaResponse(entry) }
    }
    // Version taken: re-write the winner's value on that key (always safe). Id taken with the slot still
    // ours: retry on the same key with a new id, so the rejected record is superseded, never left behind.
    if (outcome.status === 'rejected' && outcome.conflict === 'version') await this.#repair(key, subject, version)
    if (importing) {
      if (outcome.status === 'rejected' && outcome.conflict === 'id') await this.#repair(key, subject, version)
      throw errors.idConflict(`Could not import schema ${id} as version ${version} of ${subject}`)
    }
    return { retryVersion: outcome.status === 'rejected' && outcome.conflict === 'id' ? version : undefined }
  }

  /**
   * After a rejected SCHEMA record: make the accepted state of that key the latest record for it, so log
   * compaction can never keep the rejected record instead of the winner. Re-writing a winner is always safe;
   * a tombstone (slot still free) could hit a record another writer has in flight, so it is the last resort.
   */
  async #repair(key: Buffer, subject: string, version: number): Promise<void> {
    // Catch up first: another writer may have taken this (subject, version) after our record; its value must
    // be what we re-write, never a tombstone over it.
    await this.replica.catchUp()
    const winner = this.state.version(subject, version)
    if (!winner) {
      await this.replica.write(key, null)
      return
    }
    await this.replica.write(winner.rawKey, encodeSchemaValue(entryValue(winner)))
  }

  #nextId(): number {
    let id = this.state.maxId() + 1
    while (this.state.schemaById(id)) id++
    return id
  }

  // ---- helpers ----

  #normalize(subject: string, requested: boolean | undefined): boolean {
    return requested === true || this.settings.effectiveNormalize(subject)
  }

  /** Resolves references to stored versions (`-1` = latest), soft-deleted ones included. */
  readonly #resolver: ReferenceResolver = (reference) => {
    const versions = this.state.versions(reference.subject)
    const entry =
      reference.version === -1
        ? versions.filter((e) => !e.deleted).at(-1)
        : versions.find((e) => e.version === reference.version)
    return entry && { schema: entry.schema, schemaType: entry.schemaType, references: entry.references }
  }

  #parse(input: RegisterBody, normalize: boolean): ParsedSchema {
    const references: SchemaReference[] = input.references.map((r) => {
      if (r.version !== -1) return r
      const latest = this.state.liveVersions(r.subject).at(-1)
      return latest ? { ...r, version: latest.version } : r
    })
    return parseSchema({ ...input, references }, this.#resolver, normalize, this.limits)
  }

  #check(
    level: CompatibilityLevel,
    candidate: ParsedSchema,
    previous: VersionEntry[],
    policy: CompatibilityPolicy,
  ): Promise<CompatibilityResult> {
    if (previous.length === 0) return Promise.resolve({ compatible: true, messages: [] })
    const toChecked = (entry: VersionEntry): JsonCheckedSchema => ({
      version: entry.version,
      schemaType: entry.schemaType,
      text: entry.schema,
      parsed: safeParse(entry.schema),
      references: loadReferencedDocuments(entry.references, this.#resolver),
    })
    return this.checker.check({
      level,
      candidate: {
        schemaType: candidate.schemaType,
        text: candidate.canonical,
        parsed: candidate.parsed,
        references: candidate.documents,
      },
      previous: previous.map(toChecked),
      policy,
      limits: { maxWork: this.limits.maxWork, maxDepth: this.limits.maxDepth },
    })
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return {}
  }
}
