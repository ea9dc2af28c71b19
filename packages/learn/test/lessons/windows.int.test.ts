import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testKafkaClient } from '@isobar/testing'
import { windows } from '../../src/lessons/windows.ts'
import { runLesson } from '../../src/runner.ts'

interface Closed {
  key: string
  start: number
  end: number
  count: number
  closedBy: string
}
interface Run {
  windows: number
  late: number
  counted: number
  idleClosed: number
  perSensor: Record<string, number>
  closed: Closed[]
}

test('tumbling, hopping and session windows count what they claim; grace admits one late record, not the other', async () => {
  const result = await runLesson(windows, { kafka: testKafkaClient() })
  const f = result.figures as unknown as { readings: number; tumbling: Run; hopping: Run; session: Run }
  const accepted = f.readings - 1

  // The record 85 s late is dropped; the one 5 s late, within the grace, is counted in s1's first minute.
  assert.equal(f.tumbling.late, 1)
  assert.equal(f.tumbling.counted, accepted)
  const s1First = f.tumbling.closed.find((w) => w.key === 's1' && w.start === 0)
  assert.equal(s1First?.count, 7)
  // The silent s3's window closed on stream time (the others moved it); the last minute closed on the idle timeout.
  assert.equal(f.tumbling.closed.find((w) => w.key === 's3')?.closedBy, 'stream time')
  assert.ok(f.tumbling.idleClosed > 0)
  assert.ok(f.tumbling.closed.filter((w) => w.closedBy === 'idle').every((w) => w.start === 60))

  // Hopping 60 s every 20 s: every accepted reading is in exactly three windows.
  assert.equal(f.hopping.counted, 3 * accepted)

  // Sessions: s2's 50 s pause (gap 30 s) splits it in two; s1 and s3 have one each.
  assert.deepEqual(f.session.perSensor, { s1: 1, s2: 2, s3: 1 })
  assert.equal(f.session.counted, f.readings)
})
