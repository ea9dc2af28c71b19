import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runIsobar } from '@isobar/testing'

test('learn list shows the lessons in order, as text and as JSON', async () => {
  const listed = await runIsobar(['learn', 'list', '--json'])
  assert.equal(listed.exitCode, 0, listed.stderr)
  const lessons = JSON.parse(listed.stdout) as Array<{ n: number; id: string; title: string }>
  assert.ok(lessons.length >= 1)
  assert.deepEqual(
    lessons.map((l) => l.n),
    lessons.map((_, i) => i + 1),
  )
  const text = await runIsobar(['learn', 'list'])
  for (const l of lessons) assert.match(text.stdout, new RegExp(`${l.n}\\. ${l.id}\\s+${l.title}`))
})

test('learn run <unknown> is a one-line usage error naming the lessons, exit 2', async () => {
  const result = await runIsobar(['learn', 'run', 'no-such-lesson'])
  assert.equal(result.exitCode, 2)
  assert.match(result.stderr, /unknown lesson "no-such-lesson"/)
  assert.match(result.stderr, /delivery/)
})

test('learn run --json prints the narrated steps and the figures of the lesson', async () => {
  const result = await runIsobar(['learn', 'run', 'partitioning', '--json'], { timeoutMs: 120_000 })
  assert.equal(result.exitCode, 0, result.stderr)
  const parsed = JSON.parse(result.stdout) as { id: string; steps: string[]; figures: Record<string, unknown> }
  assert.equal(parsed.id, 'partitioning')
  assert.ok(parsed.steps.length > 2)
  assert.ok('murmur2' in parsed.figures)
  // The narration went to stderr, the JSON alone to stdout.
  assert.match(result.stderr, /• /)
})
