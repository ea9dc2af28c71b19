/**
 * The recent history a windowed rule needs, without keeping every point: the extremes come from monotonic
 * deques (amortised O(1) per sample, typically a handful of entries for noisy data), and only the times are
 * queued (the stuck rule needs how many samples the window holds and how old the first is). Memory per
 * sensor and rule drops from one object per sample to one number per sample, and evaluation from O(window)
 * per sample to O(1).
 */
interface Entry {
  seq: number
  t: number
  v: number
}

/** A FIFO over an array with a moving head, compacted now and then (Array.prototype.shift is O(n)). */
class Queue<T> {
  items: T[] = []
  head = 0

  get length(): number {
    return this.items.length - this.head
  }

  first(): T | undefined {
    return this.items[this.head]
  }

  last(): T | undefined {
    return this.items[this.items.length - 1]
  }

  push(item: T): void {
    this.items.push(item)
  }

  popLast(): void {
    this.items.pop()
  }

  shift(): void {
    this.head++
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
  }
}

export class SlidingWindow {
  #seq = 0
  /** Sequence number of the oldest point still in the window. */
  #firstSeq = 0
  readonly #times = new Queue<number>()
  readonly #max = new Queue<Entry>()
  readonly #min = new Queue<Entry>()

  push(t: number, v: number): void {
    const entry = { seq: this.#seq++, t, v }
    this.#times.push(t)
    while (this.#max.length > 0 && this.#max.last()!.v <= v) this.#max.popLast()
    this.#max.push(entry)
    while (this.#min.length > 0 && this.#min.last()!.v >= v) this.#min.popLast()
    this.#min.push(entry)
  }

  /** Keeps the points inside [now − withinMs, now]; with `keepOneOlder`, also the newest point before that. */
  trim(now: number, withinMs: number, keepOneOlder: boolean): void {
    const start = now - withinMs
    let drop = 0
    while (drop < this.#times.length && this.#times.items[this.#times.head + drop]! < start) drop++
    if (keepOneOlder && drop > 0) drop--
    for (let i = 0; i < drop; i++) this.#times.shift()
    this.#firstSeq += drop
    while (this.#max.length > 0 && this.#max.first()!.seq < this.#firstSeq) this.#max.shift()
    while (this.#min.length > 0 && this.#min.first()!.seq < this.#firstSeq) this.#min.shift()
  }

  get count(): number {
    return this.#times.length
  }

  /** Time of the oldest point kept, undefined when empty. */
  get firstTime(): number | undefined {
    return this.#times.first()
  }

  get max(): number {
    return this.#max.first()?.v ?? Number.NEGATIVE_INFINITY
  }

  get min(): number {
    return this.#min.first()?.v ?? Number.POSITIVE_INFINITY
  }
}
