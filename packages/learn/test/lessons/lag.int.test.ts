import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testKafkaClient } from '@isobar/testing'
import { lag } from '../../src/lessons/lag.ts'
import { runLesson } from '../../src/runner.ts'

interface Phase {
  expected: string
  status: string
  lagRecords: number
  lagSeconds: number
}

test('the lag monitor judges the slowed consumer OK, then WARN, then STALL, then OK again', async () => {
  const result = await runLesson(lag, { kafka: testKafkaClient() })
  const phases = (result.figures as unknown as { phases: Phase[] }).phases
  assert.deepEqual(
    phases.map((p) => p.status),
    ['OK', 'WARN', 'STALL', 'OK'],
  )
  const [, warn, stall] = phases
  assert.ok(warn!.lagRecords > 0 && stall!.lagRecords > warn!.lagRecords, 'lag grows while slowed and stalled')
  assert.ok(stall!.lagSeconds > 0, 'a stalled consumer has an age of lag')
})
