/**
 * Soft and permanent deletes of versions and subjects, written as Confluent does: a soft-deleted version is
 * its SCHEMA record re-written with `deleted: true`; a soft-deleted subject is one DELETE_SUBJECT record; a
 * permanent delete tombstones the exact consumed keys (newest version first), then CONFIG/MODE once empty.
 */
import { errors } from '../errors.ts'
import { deleteSubjectKey, encodeDeleteSubjectValue, encodeKey, encodeSchemaValue } from '../store/records.ts'
import { entryValue, type VersionEntry } from '../store/state.ts'
import type { Replica } from './replica.ts'
import type { Settings } from './settings.ts'

export class Deletions {
  readonly #replica: Replica
  readonly #settings: Settings

  constructor(replica: Replica, settings: Settings) {
    this.#replica = replica
    this.#settings = settings
  }

  #assertWritable(subject: string): void {
    const mode = this.#settings.effectiveMode(subject)
    if (mode === 'READONLY' || mode === 'READONLY_OVERRIDE') {
      throw errors.notPermitted(`Subject ${subject} in context . is in read-only mode`)
    }
  }

  #assertNotReferenced(entry: VersionEntry): void {
    const users = this.#replica.state
      .referencedBy(entry.subject, entry.version)
      .filter((e) => e.subject !== entry.subject || e.version !== entry.version)
    if (users.length > 0) throw errors.referenceExists(entry.subject, entry.version)
  }

  /** `DELETE /subjects/{s}/versions/{v}` → the version number. */
  async deleteVersion(subject: string, version: number | 'latest', permanent: boolean): Promise<number> {
    return this.#replica.exclusive(async () => {
      await this.#replica.catchUp()
      this.#assertWritable(subject)
      const all = this.#replica.state.versions(subject)
      if (all.length === 0) throw errors.subjectNotFound(subject)
      const candidates = permanent ? all : all.filter((e) => !e.deleted)
      const entry = version === 'latest' ? candidates.at(-1) : all.find((e) => e.version === version)
      if (!entry) throw errors.versionNotFound(version)
      if (!permanent) {
        if (entry.deleted) throw errors.versionSoftDeleted(subject, entry.version)
        this.#assertNotReferenced(entry)
        await this.#replica.write(entry.rawKey, encodeSchemaValue(entryValue(entry, true)))
        return entry.version
      }
      if (!entry.deleted) throw errors.versionNotSoftDeleted(subject, entry.version)
      this.#assertNotReferenced(entry)
      await this.#replica.write(entry.rawKey, null)
      if (this.#replica.state.versions(subject).length === 0) await this.#dropSettings(subject)
      return entry.version
    })
  }

  /** `DELETE /subjects/{s}` → the versions deleted. */
  async deleteSubject(subject: string, permanent: boolean): Promise<number[]> {
    return this.#replica.exclusive(async () => {
      await this.#replica.catchUp()
      this.#assertWritable(subject)
      const all = this.#replica.state.versions(subject)
      if (all.length === 0) throw errors.subjectNotFound(subject)
      const live = all.filter((e) => !e.deleted)
      if (!permanent) {
        if (live.length === 0) throw errors.subjectSoftDeleted(subject)
        for (const entry of live) this.#assertNotReferenced(entry)
        const version = all.at(-1)!.version
        await this.#replica.write(encodeKey(deleteSubjectKey(subject)), encodeDeleteSubjectValue({ subject, version }))
        return live.map((e) => e.version)
      }
      if (live.length > 0) throw errors.subjectNotSoftDeleted(subject)
      for (const entry of all) this.#assertNotReferenced(entry)
      for (const entry of [...all].reverse()) await this.#replica.write(entry.rawKey, null)
      await this.#dropSettings(subject)
      return all.map((e) => e.version)
    })
  }

  async #dropSettings(subject: string): Promise<void> {
    const config = this.#replica.state.config(subject)
    if (config) await this.#replica.write(config.rawKey, null)
    const mode = this.#replica.state.mode(subject)
    if (mode) await this.#replica.write(mode.rawKey, null)
  }
}
