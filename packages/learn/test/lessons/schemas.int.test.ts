import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startRegistryFixture } from '@isobar/registry/fixture'
import { testKafkaClient } from '@isobar/testing'
import { schemas } from '../../src/lessons/schemas.ts'
import { runLesson } from '../../src/runner.ts'

test('v2 evolves compatibly, v3 is refused under every level but NONE, both consumers read all, bad records reach the DLQ', async (t) => {
  const kafka = testKafkaClient()
  // Isobar's registry in-process, on topics of its own so the test shares the broker with others.
  const registry = await startRegistryFixture({ kafka, prefix: 'learn-schemas', electionWaitMs: 60_000 })
  t.after(() => registry.close())
  const result = await runLesson(schemas, { kafka, registryUrl: registry.url })
  const f = result.figures as unknown as {
    compatibility: Record<string, { v2: boolean; v3: boolean }>
    v3Refused: boolean
    v3Refusal: string
    oldConsumerRead: number
    newConsumerRead: number
    newConsumerWithHumidity: number
    writerSchemaIds: number[]
    producerRefused: boolean
    consumerRefused: boolean
    deadLetters: Array<{ stage: string; code: string; message: string }>
  }
  assert.equal(f.compatibility.BACKWARD?.v2, true)
  for (const [level, verdict] of Object.entries(f.compatibility)) {
    assert.equal(verdict.v3, level === 'NONE', `v3 under ${level}`)
  }
  assert.equal(f.v3Refused, true)
  assert.match(f.v3Refusal, /^HTTP 409/)
  assert.deepEqual([f.oldConsumerRead, f.newConsumerRead, f.newConsumerWithHumidity], [10, 10, 5])
  assert.equal(f.writerSchemaIds.length, 2)
  assert.equal(f.producerRefused, true)
  assert.equal(f.consumerRefused, true)
  assert.deepEqual(
    f.deadLetters.map((d) => [d.stage, d.code]),
    [
      ['produce', 'ISOBAR_SERDE_SCHEMA_VIOLATION'],
      ['consume', 'ISOBAR_SERDE_MALFORMED_FRAME'],
    ],
  )
  assert.match(f.deadLetters[0]!.message, /temperature must be number/)
  // The lesson's subject is gone afterwards.
  const subjects = (await (await fetch(`${registry.url}/subjects`)).json()) as string[]
  assert.deepEqual(
    subjects.filter((s) => s.startsWith('learn-schemas-')),
    [],
  )
})
