import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { createLogger } from '@isobar/core'
import { DeadLetterLog } from '../../src/serde/dead-letter-log.ts'

function capture() {
  const lines: Array<Record<string, unknown>> = []
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line))
      done()
    },
  })
  return { lines, logger: createLogger({ service: 'test', level: 'info', destination }) }
}

test('a burst of dead letters logs the first of each kind, then one summary line', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] })
  const { lines, logger } = capture()
  const log = new DeadLetterLog({ logger, summaryIntervalMs: 60_000 })
  for (let i = 0; i < 500; i++) log.record({ topic: 'sensors.readings', code: 'TIME_AHEAD', dlq: 'sensors.dlq' }, 'x')
  log.record({ topic: 'sensors.readings', code: 'INVALID_JSON', dlq: 'sensors.dlq', offset: '7' }, 'x')
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(lines.length, 2, 'one warn per kind, not one per record')
  assert.equal(lines[1]?.offset, '7')
  t.mock.timers.tick(60_000)
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(lines.length, 3)
  assert.equal(lines[2]?.deadLetters, 499)
  assert.deepEqual(lines[2]?.byTopicAndCode, { 'sensors.readings TIME_AHEAD': 499 })
  log.flush() // nothing pending: no empty summary
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(lines.length, 3)
})
