/**
 * The registry's in-memory state, changed ONLY by applying `_schemas` records in log order. Every instance
 * applies the same records with the same deterministic rules, so all instances (and a restarted one) agree.
 *
 * Conflicting SCHEMA records are rejected, first one in the log wins: a record for an existing live
 * (subject, version) with another id or schema, or a record giving an id already used by a different schema.
 * The writer of a rejected record sees the rejection when it reads its own record back and retries.
 */
import { createHash } from 'node:crypto'
import {
  decodeConfigValue,
  decodeDeleteSubjectValue,
  decodeKey,
  decodeModeValue,
  decodeSchemaValue,
  type ConfigValue,
  type SchemaReference,
  type SchemaType,
  type SchemaValue,
} from './records.ts'
import type { LogRecord } from './schema-log.ts'

export interface VersionEntry {
  subject: string
  version: number
  id: number
  schemaType: SchemaType
  references: SchemaReference[]
  schema: string
  deleted: boolean
  guid: string
  /** Timestamp of the record that wrote this version. */
  ts: number
  /** Exact key bytes consumed, so a tombstone hits the same key after compaction. */
  rawKey: Buffer
}

export interface StoredSchema {
  id: number
  schemaType: SchemaType
  references: SchemaReference[]
  schema: string
  guid: string
}

export type ApplyOutcome =
  | { status: 'applied' }
  | { status: 'ignored'; reason: string }
  | { status: 'rejected'; conflict: 'version' | 'id'; reason: string }

interface Keyed<T> {
  value: T
  rawKey: Buffer
}

/** GUID = MD5 of the schema text and references, printed as a UUID (Confluent's `MD5.ofSchema`). */
export function schemaGuid(schema: string, references: readonly SchemaReference[]): string {
  const hash = createHash('md5').update(schema, 'utf8')
  for (const r of references) {
    const version = Buffer.alloc(4)
    version.writeInt32BE(r.version)
    hash.update(r.name, 'utf8').update(r.subject, 'utf8').update(version)
  }
  const hex = hash.digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The SCHEMA record value that (re)writes a stored version. */
export function entryValue(entry: VersionEntry, deleted = entry.deleted): SchemaValue {
  return {
    subject: entry.subject,
    version: entry.version,
    id: entry.id,
    schemaType: entry.schemaType,
    references: entry.references,
    schema: entry.schema,
    deleted,
  }
}

const identityOf = (schemaType: SchemaType, guid: string): string => `${schemaType}:${guid}`
const userKey = (subject: string, version: number): string => `${subject}\u0000${version}`

export class RegistryState {
  readonly #subjects = new Map<string, Map<number, VersionEntry>>()
  readonly #ids = new Map<number, StoredSchema & { users: Set<string> }>()
  readonly #idByIdentity = new Map<string, number>()
  readonly #guids = new Map<string, number>()
  readonly #configs = new Map<string | null, Keyed<ConfigValue>>()
  readonly #modes = new Map<string | null, Keyed<string>>()
  #maxId = 0
  /** Offset of the last record applied; -1 before any. */
  lastOffset = -1n

  apply(record: LogRecord): ApplyOutcome {
    if (record.offset > this.lastOffset) this.lastOffset = record.offset
    const key = decodeKey(record.key)
    if (!key) return { status: 'ignored', reason: 'unknown or malformed key' }
    const value = record.value && record.value.length > 0 ? record.value : null
    switch (key.keytype) {
      case 'SCHEMA':
        return value === null
          ? this.#hardDelete(key.subject, key.version)
          : this.#putSchema(key.subject, key.version, value, record)
      case 'CONFIG': {
        if (value === null) this.#configs.delete(key.subject)
        else {
          const config = decodeConfigValue(value)
          if (!config) return { status: 'ignored', reason: 'malformed CONFIG value' }
          this.#configs.set(key.subject, { value: config, rawKey: record.key })
        }
        return { status: 'applied' }
      }
      case 'MODE': {
        if (value === null) this.#modes.delete(key.subject)
        else {
          const mode = decodeModeValue(value)
          if (!mode) return { status: 'ignored', reason: 'malformed MODE value' }
          this.#modes.set(key.subject, { value: mode.mode, rawKey: record.key })
        }
        return { status: 'applied' }
      }
      case 'DELETE_SUBJECT': {
        const del = value && decodeDeleteSubjectValue(value)
        if (!del) return { status: 'ignored', reason: 'malformed DELETE_SUBJECT value' }
        for (const entry of this.#subjects.get(key.subject)?.values() ?? []) {
          if (entry.version <= del.version) entry.deleted = true
        }
        return { status: 'applied' }
      }
      case 'CLEAR_SUBJECT': {
        for (const entry of [...(this.#subjects.get(key.subject)?.values() ?? [])]) {
          if (entry.deleted) this.#hardDelete(entry.subject, entry.version)
        }
        return { status: 'applied' }
      }
      case 'NOOP':
        return { status: 'ignored', reason: 'noop' }
    }
  }

  #putSchema(subject: string, version: number, bytes: Buffer, record: LogRecord): ApplyOutcome {
    const value = decodeSchemaValue(bytes)
    if (!value || value.subject !== subject || value.version !== version) {
      return { status: 'ignored', reason: 'malformed SCHEMA value' }
    }
    const guid = schemaGuid(value.schema, value.references)
    const identity = identityOf(value.schemaType, guid)
    const versions = this.#subjects.get(subject)
    const existing = versions?.get(version)
    if (existing && (existing.id !== value.id || identityOf(existing.schemaType, existing.guid) !== identity)) {
      return {
        status: 'rejected',
        conflict: 'version',
        reason: `subject "${subject}" version ${version} already holds schema ${existing.id}`,
      }
    }
    const holder = this.#ids.get(value.id)
    if (holder && identityOf(holder.schemaType, holder.guid) !== identity) {
      return { status: 'rejected', conflict: 'id', reason: `id ${value.id} is already used by another schema` }
    }
    if (existing) {
      existing.deleted = value.deleted
      return { status: 'applied' }
    }
    const entry: VersionEntry = { ...value, guid, ts: record.timestamp, rawKey: record.key }
    if (versions) versions.set(version, entry)
    else this.#subjects.set(subject, new Map([[version, entry]]))
    if (holder) holder.users.add(userKey(subject, version))
    else {
      this.#ids.set(value.id, {
        id: value.id,
        schemaType: value.schemaType,
        references: value.references,
        schema: value.schema,
        guid,
        users: new Set([userKey(subject, version)]),
      })
    }
    const known = this.#idByIdentity.get(identity)
    if (known === undefined || value.id < known) this.#idByIdentity.set(identity, value.id)
    const knownGuid = this.#guids.get(guid)
    if (knownGuid === undefined || value.id < knownGuid) this.#guids.set(guid, value.id)
    if (value.id > this.#maxId) this.#maxId = value.id
    return { status: 'applied' }
  }

  #hardDelete(subject: string, version: number): ApplyOutcome {
    const versions = this.#subjects.get(subject)
    const entry = versions?.get(version)
    if (!versions || !entry) return { status: 'applied' }
    versions.delete(version)
    if (versions.size === 0) this.#subjects.delete(subject)
    const holder = this.#ids.get(entry.id)
    if (holder) {
      holder.users.delete(userKey(subject, version))
      if (holder.users.size === 0) {
        this.#ids.delete(entry.id)
        const identity = identityOf(holder.schemaType, holder.guid)
        if (this.#idByIdentity.get(identity) === entry.id) this.#idByIdentity.delete(identity)
        if (this.#guids.get(holder.guid) === entry.id) this.#guids.delete(holder.guid)
      }
    }
    return { status: 'applied' }
  }

  // ---- queries ----

  /** Subjects with at least one version (live, or any with `includeDeleted`), sorted. */
  subjects(includeDeleted: boolean): string[] {
    const out: string[] = []
    for (const [subject, versions] of this.#subjects) {
      if ([...versions.values()].some((e) => includeDeleted || !e.deleted)) out.push(subject)
    }
    return out.sort()
  }

  /** Every version of a subject, soft-deleted ones included, oldest first. */
  versions(subject: string): VersionEntry[] {
    return [...(this.#subjects.get(subject)?.values() ?? [])].sort((a, b) => a.version - b.version)
  }

  liveVersions(subject: string): VersionEntry[] {
    return this.versions(subject).filter((e) => !e.deleted)
  }

  version(subject: string, version: number): VersionEntry | undefined {
    return this.#subjects.get(subject)?.get(version)
  }

  schemaById(id: number): StoredSchema | undefined {
    const held = this.#ids.get(id)
    if (!held) return undefined
    return {
      id: held.id,
      schemaType: held.schemaType,
      references: held.references,
      schema: held.schema,
      guid: held.guid,
    }
  }

  /** (subject, version) pairs using an id, sorted. */
  usersOf(id: number): Array<{ subject: string; version: number }> {
    const held = this.#ids.get(id)
    if (!held) return []
    return [...held.users]
      .map((u) => {
        const [subject = '', version = '0'] = u.split('\u0000')
        return { subject, version: Number(version) }
      })
      .sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.version - b.version))
  }

  idForIdentity(schemaType: SchemaType, guid: string): number | undefined {
    return this.#idByIdentity.get(identityOf(schemaType, guid))
  }

  idForGuid(guid: string): number | undefined {
    return this.#guids.get(guid)
  }

  maxId(): number {
    return this.#maxId
  }

  config(subject: string | null): Keyed<ConfigValue> | undefined {
    return this.#configs.get(subject)
  }

  mode(subject: string | null): Keyed<string> | undefined {
    return this.#modes.get(subject)
  }

  /** Live versions anywhere whose references name (subject, version). */
  referencedBy(subject: string, version: number): VersionEntry[] {
    const out: VersionEntry[] = []
    for (const versions of this.#subjects.values()) {
      for (const e of versions.values()) {
        if (!e.deleted && e.references.some((r) => r.subject === subject && r.version === version)) out.push(e)
      }
    }
    return out
  }
}
