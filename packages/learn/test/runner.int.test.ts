import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testKafkaClient } from '@isobar/testing'
import { LESSONS, findLesson } from '../src/catalogue.ts'
import type { Lesson } from '../src/lesson.ts'
import { runLesson } from '../src/runner.ts'

test('a lesson that fails still has its topics deleted, and the failure reaches the caller', async () => {
  const kafka = testKafkaClient()
  let made = ''
  const failing: Lesson = {
    id: 'failing',
    title: 'Fails on purpose',
    summary: 'Creates a topic, then throws.',
    async run(ctx) {
      made = await ctx.createTopic('t', { partitions: 1 })
      ctx.step('made a topic')
      throw new Error('boom')
    },
  }
  await assert.rejects(runLesson(failing, { kafka }), /boom/)
  assert.match(made, /^learn-failing-t-[0-9a-f]{8}$/)
  const admin = kafka.admin()
  try {
    assert.equal((await admin.listTopics()).includes(made), false)
  } finally {
    await admin.close()
  }
})

test('steps are narrated as they happen and returned in order; within() bounds a step', async () => {
  const seen: string[] = []
  const lesson: Lesson = {
    id: 'steps',
    title: 'Steps',
    summary: 'Two steps and a timeout.',
    async run(ctx) {
      ctx.step('one')
      ctx.step('two')
      await assert.rejects(ctx.within('a wait', 50, new Promise(() => undefined)), /a wait did not finish within 50 ms/)
      return { answer: 42 }
    },
  }
  const result = await runLesson(lesson, { kafka: testKafkaClient(), onStep: (s) => seen.push(s) })
  assert.deepEqual(seen, ['one', 'two'])
  assert.deepEqual(result.steps, ['one', 'two'])
  assert.deepEqual(result.figures, { answer: 42 })
})

test('the catalogue has unique ids and findLesson names the known ones when asked for an unknown one', () => {
  assert.equal(new Set(LESSONS.map((l) => l.id)).size, LESSONS.length)
  assert.equal(findLesson('delivery').id, 'delivery')
  assert.throws(() => findLesson('nope'), /unknown lesson "nope" \(expected one of: topics, delivery, acks/)
})
