/**
 * Per-key state of one task kept next to its windows, in the same changelog and the same transaction: for work a
 * stage does on each record before windowing (e.g. an anomaly detector's trailing baseline per sensor). It is
 * restored with the windows, so exactly-once covers it too. Changelog key `\0kv\0<key>`, value the state's bytes
 * (KeyedState.serialize; null: the key was deleted).
 */
import type { ParsedRecord } from './topology.ts'

export const TABLE_KEY_PREFIX = '\u0000kv\u0000'

export class KeyValueTable {
  readonly #entries = new Map<string, unknown>()
  readonly #dirty = new Set<string>()

  get size(): number {
    return this.#entries.size
  }

  get(key: string): unknown {
    return this.#entries.get(key)
  }

  /** Stores (or marks as changed, when the value was mutated in place) the state of `key`. */
  set(key: string, value: unknown): void {
    this.#entries.set(key, value)
    this.#dirty.add(key)
  }

  delete(key: string): void {
    if (this.#entries.delete(key)) this.#dirty.add(key)
  }

  /** Changelog records for the keys changed since the last drain. */
  drain(serialize: (value: unknown) => Buffer): Array<{ key: Buffer; value: Buffer | null }> {
    const records: Array<{ key: Buffer; value: Buffer | null }> = []
    for (const key of this.#dirty) {
      const value = this.#entries.get(key)
      records.push({ key: Buffer.from(TABLE_KEY_PREFIX + key), value: value === undefined ? null : serialize(value) })
    }
    this.#dirty.clear()
    return records
  }

  /** Applies a changelog record whose key starts with TABLE_KEY_PREFIX (nothing is marked dirty). */
  restore(record: { key: Buffer | null; value: Buffer | null }, deserialize: (bytes: Buffer) => unknown): void {
    if (!isTableRecord(record.key)) return
    const key = record.key.toString().slice(TABLE_KEY_PREFIX.length)
    if (record.value === null) this.#entries.delete(key)
    else this.#entries.set(key, deserialize(record.value))
  }
}

export function isTableRecord(key: Buffer | null): key is Buffer {
  return key !== null && key.length > TABLE_KEY_PREFIX.length && key.toString('latin1', 0, 4) === TABLE_KEY_PREFIX
}

/**
 * A stage's per-key step before windowing: reads and updates the key's state in the table (call `table.set` for
 * every change, so it reaches the changelog) and returns the value to aggregate (possibly enriched).
 */
export interface KeyedState<V> {
  /** A state's changelog bytes (written once per changed key per commit: keep it cheap). */
  serialize: (state: unknown) => Buffer
  /** Parses a state read back from the changelog; throw when it is not one (the changelog is then corrupt). */
  deserialize: (bytes: Buffer) => unknown
  apply(part: ParsedRecord<V>, timestamp: number, table: KeyValueTable): V
}
