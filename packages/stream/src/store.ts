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

/** A key's closed-until entry changed since the last drain: its new value, or null when it was pruned. */
export interface ClosedUntilChange {
  key: string
  until: number | null
}

/**
 * In-memory window store of one task (partition). Remembers which windows changed since the last drain, so a
 * commit writes one changelog record per changed window (latest state or tombstone), however often it changed.
 * Windows are indexed by key, then start (no composite string per lookup: this is the per-record hot path).
 */
export class WindowStore<A> {
  readonly #byKey = new Map<string, Map<number, WindowState<A>>>()
  /** Windows changed since the last drain (the objects themselves: updates mutate them in place). */
  readonly #dirty = new Set<WindowState<A>>()
  /** Ids of windows purged since the last drain. */
  readonly #purged = new Set<string>()
  #size = 0
  #streamTime = Number.NEGATIVE_INFINITY
  #metaDirty = false
  /**
   * Per key: event time up to which its windows closed before stream time closed them (idle, forced, flushed, a
   * session's gap). In the changelog too (one record per key), so a restored task judges records late as the
   * original did; an entry stream time covers is pruned (and tombstoned).
   */
  readonly #closedUntil = new Map<string, number>()
  readonly #closedDirty = new Set<string>()
  /** Keys whose closed-until entry is in the changelog: pruning one writes a tombstone, pruning another nothing. */
  readonly #closedLogged = new Set<string>()

  static idOf(key: string, start: number): string {
    return `${key}\u0000${start}`
  }

  get size(): number {
    return this.#size
  }

  get streamTime(): number {
    return this.#streamTime
  }

  set streamTime(value: number) {
    if (value !== this.#streamTime) this.#metaDirty = true
    this.#streamTime = value
  }

  get(key: string, start: number): WindowState<A> | undefined {
    return this.#byKey.get(key)?.get(start)
  }

  windowsOf(key: string): WindowState<A>[] {
    const windows = this.#byKey.get(key)
    return windows ? [...windows.values()] : []
  }

  keys(): string[] {
    return [...this.#byKey.keys()]
  }

  *all(): IterableIterator<WindowState<A>> {
    for (const windows of this.#byKey.values()) yield* windows.values()
  }

  put(state: WindowState<A>): void {
    this.#insert(state)
    this.#dirty.add(state)
  }

  /** Marks a window whose value was updated in place as changed. */
  touch(state: WindowState<A>): void {
    this.#dirty.add(state)
  }

  delete(key: string, start: number): void {
    const windows = this.#byKey.get(key)
    const existing = windows?.get(start)
    if (!windows || !existing) return
    windows.delete(start)
    if (windows.size === 0) this.#byKey.delete(key)
    this.#size--
    this.#dirty.delete(existing)
    this.#purged.add(WindowStore.idOf(key, start))
  }

  closedUntil(key: string): number {
    return this.#closedUntil.get(key) ?? Number.NEGATIVE_INFINITY
  }

  setClosedUntil(key: string, until: number): void {
    this.#closedUntil.set(key, until)
    this.#closedDirty.add(key)
  }

  /** Drops the entries with `until <= time` (stream time alone judges their records late). */
  pruneClosedUntil(time: number): void {
    for (const [key, until] of this.#closedUntil) {
      if (until > time) continue
      this.#closedUntil.delete(key)
      if (this.#closedLogged.has(key)) this.#closedDirty.add(key)
      else this.#closedDirty.delete(key)
    }
  }

  get closedUntilSize(): number {
    return this.#closedUntil.size
  }

  #insert(state: WindowState<A>): void {
    let windows = this.#byKey.get(state.key)
    if (!windows) this.#byKey.set(state.key, (windows = new Map<number, WindowState<A>>()))
    const existing = windows.get(state.start)
    if (existing) this.#dirty.delete(existing)
    else this.#size++
    windows.set(state.start, state)
    if (this.#purged.size > 0) this.#purged.delete(WindowStore.idOf(state.key, state.start))
  }

  /** The changes since the last drain: windows, closed-until entries, and whether stream time moved. */
  drain(): { changes: StoreChange<A>[]; closed: ClosedUntilChange[]; streamTime: number | null } {
    const changes: StoreChange<A>[] = []
    for (const id of this.#purged) changes.push({ id, state: null })
    for (const state of this.#dirty) changes.push({ id: WindowStore.idOf(state.key, state.start), state })
    this.#dirty.clear()
    this.#purged.clear()
    const closed: ClosedUntilChange[] = []
    for (const key of this.#closedDirty) {
      const until = this.#closedUntil.get(key)
      if (until === undefined) this.#closedLogged.delete(key)
      else this.#closedLogged.add(key)
      closed.push({ key, until: until ?? null })
    }
    this.#closedDirty.clear()
    const streamTime = this.#metaDirty ? this.#streamTime : null
    this.#metaDirty = false
    return { changes, closed, streamTime }
  }

  /** Drops every window without recording changes (the task lost its partition). */
  clear(): void {
    this.#byKey.clear()
    this.#dirty.clear()
    this.#purged.clear()
    this.#size = 0
    this.#streamTime = Number.NEGATIVE_INFINITY
    this.#metaDirty = false
    this.#closedUntil.clear()
    this.#closedDirty.clear()
    this.#closedLogged.clear()
  }

  /** Applies a changelog entry during restore: nothing is marked dirty. */
  restoreEntry(id: string, state: WindowState<A> | null): void {
    if (state) {
      this.#insert(state)
      return
    }
    const separator = id.lastIndexOf('\u0000')
    const start = Number(id.slice(separator + 1))
    this.delete(id.slice(0, separator), start)
    this.#purged.delete(id)
  }

  restoreStreamTime(streamTime: number): void {
    this.#streamTime = streamTime
  }

  /** Applies a closed-until changelog entry during restore (null: pruned). */
  restoreClosedUntil(key: string, until: number | null): void {
    if (until === null) {
      this.#closedUntil.delete(key)
      this.#closedLogged.delete(key)
    } else {
      this.#closedUntil.set(key, until)
      this.#closedLogged.add(key)
    }
  }
}

/** How aggregates go into changelog values (JSON by default; bigint or Map aggregates need their own). */
export interface AggregateSerde<A> {
  encode(value: A): unknown
  decode(json: unknown): A
}

export const jsonSerde: AggregateSerde<never> = { encode: (v) => v, decode: (j) => j as never }

const META_KEY = '\u0000meta'
const CLOSED_PREFIX = '\u0000closed\u0000'

/**
 * Changelog encoding (compacted topic, same partition as the task): key = `<key>\0<windowStart>`, value = JSON
 * `{k,s,e,v}`; a purged window is a tombstone (null value); key `\0meta` carries the task's stream time; key
 * `\0closed\0<key>`, value JSON `{closedUntil}`, a key's closed-until entry (tombstone: pruned). A changelog
 * written before closed-until entries existed restores without them.
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

export function encodeClosedUntil(change: ClosedUntilChange): { key: Buffer; value: Buffer | null } {
  const key = Buffer.from(CLOSED_PREFIX + change.key)
  return { key, value: change.until === null ? null : Buffer.from(JSON.stringify({ closedUntil: change.until })) }
}

/** The changelog records of everything drained from a store (windows, closed-until entries, stream time). */
export function encodeDrained<A>(
  drained: ReturnType<WindowStore<A>['drain']>,
  serde: AggregateSerde<A>,
): Array<{ key: Buffer; value: Buffer | null }> {
  const records = drained.changes.map((change) => encodeChange(change, serde))
  for (const change of drained.closed) records.push(encodeClosedUntil(change))
  if (drained.streamTime !== null) records.push(encodeStreamTime(drained.streamTime))
  return records
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
      } else if (id.startsWith(CLOSED_PREFIX)) {
        store.restoreClosedUntil(id.slice(CLOSED_PREFIX.length), record.value ? closedUntilOf(record.value) : null)
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

function closedUntilOf(value: Buffer): number {
  const until = (JSON.parse(value.toString()) as { closedUntil?: unknown }).closedUntil
  if (typeof until !== 'number') throw new TypeError('closedUntil is not a number')
  return until
}
