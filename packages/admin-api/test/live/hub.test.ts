import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseLiveFilter } from '../../src/live/filter.ts'
import { LiveHub, type NewLiveEvent } from '../../src/live/hub.ts'
import type { EventSink } from '../../src/live/types.ts'

/** A socket whose kernel buffer holds `capacity` writes; `drain()` empties it like a reader catching up. */
class FakeSink implements EventSink {
  readonly chunks: string[] = []
  buffered = 0
  ended = false
  readonly capacity: number
  #listeners = new Map<string, Array<() => void>>()
  constructor(capacity = Infinity) {
    this.capacity = capacity
  }
  write(chunk: string): boolean {
    this.chunks.push(chunk)
    this.buffered++
    return this.buffered < this.capacity
  }
  once(event: 'drain' | 'close', listener: () => void): void {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener])
  }
  end(): void {
    this.ended = true
  }
  drain(): void {
    this.buffered = 0
    const listeners = this.#listeners.get('drain') ?? []
    this.#listeners.set('drain', [])
    for (const l of listeners) l()
  }
  disconnect(): void {
    for (const l of this.#listeners.get('close') ?? []) l()
  }
  /** Parsed SSE messages (id, event, data). */
  events(): Array<{ id?: string; event?: string; data?: string }> {
    return this.chunks
      .join('')
      .split('\n\n')
      .filter((block) => block.includes('data: '))
      .map((block) => {
        const fields: Record<string, string> = {}
        for (const line of block.split('\n')) {
          const colon = line.indexOf(': ')
          if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 2)
        }
        return fields
      })
  }
}

function aggregate(sensor: string, zone: string, mean: number): NewLiveEvent {
  return {
    type: 'aggregate',
    key: `agg|${sensor}|temperatureC|60000`,
    scope: { sensor, zone, site: zone.split('.')[0]! },
    data: JSON.stringify({ sensorId: sensor, mean }),
  }
}

const all = parseLiveFilter({})

function body(data: string | undefined): { mean: number; sensorId: string; resumed?: boolean } {
  return JSON.parse(data ?? 'null') as { mean: number; sensorId: string; resumed?: boolean }
}

test('every client gets every matching event in order while it keeps up', () => {
  const hub = new LiveHub({ bootId: 'ab12' })
  const a = new FakeSink()
  const b = new FakeSink()
  hub.connect(a, all)
  hub.connect(b, parseLiveFilter({ zone: 's01.z1' }))
  hub.publish(aggregate('mote:1', 's01.z1', 1))
  hub.publish(aggregate('mote:2', 's01.z2', 2))
  hub.publish(aggregate('mote:1', 's01.z1', 3))
  const dataOf = (sink: FakeSink) =>
    sink
      .events()
      .filter((e) => e.event === 'aggregate')
      .map((e) => e.data)
  assert.deepEqual(
    dataOf(a).map((d) => body(d).mean),
    [1, 2, 3],
  )
  assert.deepEqual(
    dataOf(b).map((d) => body(d).mean),
    [1, 3],
    'the zone filter drops the other zone',
  )
  assert.deepEqual(
    a
      .events()
      .filter((e) => e.event === 'aggregate')
      .map((e) => e.id),
    ['ab12.1', 'ab12.2', 'ab12.3'],
  )
})

test('a slow client keeps one pending event per key however much is published, then gets the latest', () => {
  const hub = new LiveHub()
  const slow = new FakeSink(3)
  const fast = new FakeSink()
  const { client } = hub.connect(slow, all)
  hub.connect(fast, all)
  const sensors = 50
  for (let round = 0; round < 200; round++) {
    for (let s = 0; s < sensors; s++) hub.publish(aggregate(`mote:${s}`, 's01.z1', round))
    assert.ok(client.pendingKeys <= sensors, `pending ${client.pendingKeys} must stay <= ${sensors}`)
  }
  assert.equal(client.blocked, true)
  assert.equal(client.pendingKeys, sensors)
  assert.ok(client.conflated > 0)
  const writtenWhileBlocked = slow.chunks.length
  assert.ok(writtenWhileBlocked < 10, 'nothing is written while the socket is full')
  // The reader catches up: the client sends the newest value of each key, in a few drains.
  for (let i = 0; i < 100 && client.pendingKeys > 0; i++) slow.drain()
  assert.equal(client.pendingKeys, 0)
  const lastBySensor = new Map<string, number>()
  for (const e of slow.events().filter((e) => e.event === 'aggregate')) {
    const b = body(e.data)
    lastBySensor.set(b.sensorId, b.mean)
  }
  assert.equal(lastBySensor.size, sensors)
  for (const mean of lastBySensor.values()) assert.equal(mean, 199)
  assert.equal(
    fast.events().filter((e) => e.event === 'aggregate').length,
    sensors * 200,
    'the fast client lost nothing',
  )
})

test('a client with more distinct pending keys than allowed is disconnected, not buffered', () => {
  const hub = new LiveHub({ maxPendingKeysPerClient: 10 })
  const slow = new FakeSink(1)
  const { client } = hub.connect(slow, all)
  for (let s = 0; s < 20; s++) hub.publish(aggregate(`mote:${s}`, 's01.z1', s))
  assert.equal(client.closed, true)
  assert.equal(slow.ended, true)
  assert.equal(hub.clients.size, 0)
})

test('reconnecting with Last-Event-ID resumes with exactly the missed events', () => {
  const hub = new LiveHub({ bootId: 'beef' })
  const first = new FakeSink()
  hub.connect(first, all)
  hub.publish(aggregate('mote:1', 's01.z1', 1))
  hub.publish(aggregate('mote:2', 's01.z1', 2))
  const lastId = first.events().at(-1)!.id!
  first.disconnect()
  assert.equal(hub.clients.size, 0)
  hub.publish(aggregate('mote:3', 's01.z1', 3))
  hub.publish(aggregate('mote:4', 's01.z1', 4))
  const second = new FakeSink()
  const { resumed } = hub.connect(second, all, lastId)
  assert.equal(resumed, true)
  const got = second.events()
  assert.deepEqual(
    got.filter((e) => e.event === 'aggregate').map((e) => body(e.data).mean),
    [3, 4],
  )
  const ready = got.find((e) => e.event === 'ready')!
  assert.equal(body(ready.data).resumed, true)
  assert.equal(ready.id, 'beef.4')
})

test('an id from another server or older than the resume ring gets the history view instead', () => {
  const hub = new LiveHub({ bootId: 'cafe', resumeEvents: 5 })
  for (let i = 0; i < 20; i++) hub.publish(aggregate(`mote:${i % 3}`, 's01.z1', i))
  for (const lastId of ['dead.3', 'cafe.2', 'cafe.999', 'garbage']) {
    const sink = new FakeSink()
    const { resumed } = hub.connect(sink, all, lastId)
    assert.equal(resumed, false, lastId)
    const aggregates = sink.events().filter((e) => e.event === 'aggregate')
    // The wide history: the latest value of each of the 3 keys.
    assert.deepEqual(
      aggregates.map((e) => body(e.data).mean).sort((a, b) => a - b),
      [17, 18, 19],
      lastId,
    )
  }
})

test('history: a narrow filter gets the series of its sensor, capped per key', () => {
  const hub = new LiveHub({ history: { pointsPerKey: 5 } })
  for (let minute = 0; minute < 12; minute++) {
    hub.publish(aggregate('mote:1', 's01.z1', minute), minute * 60_000)
    hub.publish(aggregate('mote:2', 's01.z1', 100 + minute), minute * 60_000)
  }
  // An updated window replaces its point instead of adding one.
  hub.publish(aggregate('mote:1', 's01.z1', 11.5), 11 * 60_000)
  const sink = new FakeSink()
  hub.connect(sink, parseLiveFilter({ sensor: 'mote:1' }))
  const means = sink
    .events()
    .filter((e) => e.event === 'aggregate')
    .map((e) => body(e.data).mean)
  assert.deepEqual(means, [7, 8, 9, 10, 11.5])
  assert.equal(hub.history.points, 10)
})

test('history keeps at most maxKeys keys, dropping the least recently updated', () => {
  const hub = new LiveHub({ history: { maxKeys: 100 } })
  for (let s = 0; s < 1000; s++) hub.publish(aggregate(`mote:${s}`, 's01.z1', s))
  assert.equal(hub.history.keys, 100)
  const sink = new FakeSink()
  hub.connect(sink, all)
  const sensors = sink
    .events()
    .filter((e) => e.event === 'aggregate')
    .map((e) => body(e.data).sensorId)
  assert.equal(sensors[0], 'mote:900')
  assert.equal(sensors.length, 100)
})
