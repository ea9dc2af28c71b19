import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testKafkaClient } from '@isobar/testing'
import { deliveryGuarantees } from '../../src/lessons/delivery-guarantees.ts'
import { runLesson } from '../../src/runner.ts'

interface Outcome {
  sent: number
  distinct: number
  lost: number
  duplicated: number
}

test('after the same crash, at-most-once lost records, at-least-once repeated some, exactly-once neither', async () => {
  const kafka = testKafkaClient()
  const result = await runLesson(deliveryGuarantees, { kafka })
  const figures = result.figures as unknown as Record<string, Outcome>
  const atMost = figures['at-most-once']!
  const atLeast = figures['at-least-once']!
  const exactly = figures['exactly-once']!
  assert.ok(atMost.lost > 0, `at-most-once lost ${atMost.lost}`)
  assert.equal(atMost.duplicated, 0)
  assert.equal(atLeast.lost, 0)
  assert.ok(atLeast.duplicated > 0, `at-least-once duplicated ${atLeast.duplicated}`)
  assert.equal(exactly.lost, 0)
  assert.equal(exactly.duplicated, 0)
  assert.equal(exactly.distinct, exactly.sent)
  // The narration carries the same numbers as the figures.
  assert.ok(result.steps.some((s) => s.startsWith('at-most-once: sent 3,000') && s.includes(`${atMost.lost} lost`)))

  // Clean-up: none of the lesson's topics or groups is left behind.
  const admin = kafka.admin()
  try {
    const topics = await admin.listTopics()
    assert.equal(result.cleanedUp.topics.length, 4)
    assert.deepEqual(
      topics.filter((t) => result.cleanedUp.topics.includes(t)),
      [],
    )
    const groups = await admin.listGroups()
    assert.equal(result.cleanedUp.groups.length, 3)
    assert.deepEqual(
      groups.filter((g) => result.cleanedUp.groups.includes(g.groupId)),
      [],
    )
  } finally {
    await admin.close()
  }
})
