import { ChangelogCorruptError } from './errors.ts'

/** One open window of one key. For session windows `end` is the last record's timestamp (inclusive). */
export interface WindowState<A> {
  key: string
  start: number
  end: number
  value: A
}

/** A change since the last drain: the window's latest state, or null when it was purged (a tombstone). */
export interface StoreChange<A> {
  id: string
  state: WindowState<A> | null
}

/**
 * In-memory window store of one task (partition). Remembers which windows changed since the last drain, so a
 * commit writes one changelog record per changed window (latest state or tombstone), however often it changed.
 */
export class WindowStore<A> {
  readonly #windows = new Map<string, WindowState<A>>()
  readonly #byKey = new Map<string, Set<string>>()
  readonly #dirty = new Set<string>()
  #streamTime = Number.NEGATIVE_INFINITY
  #metaDirty = false

  static idOf(key: string, start: number): string {
    return `${key}\u0000${start}`
  }

  get size(): number {
    return this.#windows.size
  }

  get streamTime(): number {
    return this.#streamTime
  }

  set streamTime(value: number) {
    if (value !== this.#streamTime) this.#metaDirty = true
    this.#streamTime = value
  }

  get(key: string, start: number): WindowState<A> | undefined {
    return this.#windows.get(WindowStore.idOf(key, start))
  }

  windowsOf(key: string): WindowState<A>[] {
    const ids = this.#byKey.get(key)
    if (!ids) return []
    return [...ids].map((id) => this.#windows.get(id)!)
  }

  keys(): string[] {
    return [...this.#byKey.keys()]
  }

  all(): IterableIterator<WindowState<A>> {
    return this.#windows.values()
  }

  put(state: WindowState<A>): void {
    const id = WindowStore.idOf(state.key, state.start)
    this.#windows.set(id, state)
    let ids = this.#byKey.get(state.key)
    if (!ids) this.#byKey.set(state.key, (ids = new Set()))
    ids.add(id)
    this.#dirty.add(id)
  }

  delete(key: string, start: number): void {
    const id = WindowStore.idOf(key, start)
    if (!this.#windows.delete(id)) return
    const ids = this.#byKey.get(key)
    ids?.delete(id)
    if (ids?.size === 0) this.#byKey.delete(key)
    this.#dirty.add(id)
  }

  /** The changes since the last drain, and whether stream time moved. */
  drain(): { changes: StoreChange<A>[]; streamTime: number | null } {
    const changes = [...this.#dirty].map((id) => ({ id, state: this.#windows.get(id) ?? null }))
    this.#dirty.clear()
    const streamTime = this.#metaDirty ? this.#streamTime : null
    this.#metaDirty = false
    return { changes, streamTime }
  }

  /** Drops every window without recording changes (the task lost its partition). */
  clear(): void {
    this.#windows.clear()
    this.#byKey.clear()
    this.#dirty.clear()
    this.#streamTime = Number.NEGATIVE_INFINITY
    this.#metaDirty = false
  }

  /** Applies a changelog entry during restore: nothing is marked dirty. */
  restoreEntry(id: string, state: WindowState<A> | null): void {
    const existing = this.#windows.get(id)
    if (existing) {
      this.#windows.delete(id)
      const ids = this.#byKey.get(existing.key)
      ids?.delete(id)
      if (ids?.size === 0) this.#byKey.delete(existing.key)
    }
    if (state) {
      this.put(state)
      this.#dirty.delete(id)
    }
  }

  restoreStreamTime(streamTime: number): void {
    this.#streamTime = streamTime
  }
}

/** How aggregates go into changelog values (JSON by default; bigint or Map aggregates need their own). */
export interface AggregateSerde<A> {
  encode(value: A): unknown
  decode(json: unknown): A
}

export const jsonSerde: AggregateSerde<never> = { encode: (v) => v, decode: (j) => j as never }

const META_KEY = '\u0000meta'

/**
 * Changelog encoding (compacted topic, same partition as the task): key = `<key>\0<windowStart>`, value = JSON
 * `{k,s,e,v}`; a purged window is a tombstone (null value); key `\0meta` carries the task's stream time.
 */
export function encodeChange<A>(
  change: StoreChange<A>,
  serde: AggregateSerde<A>,
): { key: Buffer; value: Buffer | null } {
  const key = Buffer.from(change.id)
  if (!change.state) return { key, value: null }
  const { key: k, start: s, end: e, value } = change.state
  return { key, value: Buffer.from(JSON.stringify({ k, s, e, v: serde.encode(value) })) }
}

export function encodeStreamTime(streamTime: number): { key: Buffer; value: Buffer } {
  return { key: Buffer.from(META_KEY), value: Buffer.from(JSON.stringify({ streamTime })) }
}

/** Applies changelog records, in offset order, to a store. */
export function restoreFromChangelog<A>(
  store: WindowStore<A>,
  records: Iterable<{ key: Buffer | null; value: Buffer | null }>,
  serde: AggregateSerde<A>,
): number {
  let applied = 0
  for (const record of records) {
    if (!record.key) throw new ChangelogCorruptError('Changelog record without a key')
    const id = record.key.toString()
    try {
      if (id === META_KEY) {
        if (record.value)
          store.restoreStreamTime((JSON.parse(record.value.toString()) as { streamTime: number }).streamTime)
      } else if (!record.value) {
        store.restoreEntry(id, null)
      } else {
        const json = JSON.parse(record.value.toString()) as { k: string; s: number; e: number; v: unknown }
        store.restoreEntry(id, { key: json.k, start: json.s, end: json.e, value: serde.decode(json.v) })
      }
    } catch (error) {
      throw new ChangelogCorruptError(`Unreadable changelog record ${id}`, error)
    }
    applied++
  }
  return applied
}
