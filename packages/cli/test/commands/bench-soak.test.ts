import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runIsobar } from '@isobar/testing'
import { parseSoakDuration } from '../../src/commands/bench-soak.ts'
import { runIsobarInProcess } from '../run-in-process.ts'

test('soak durations: 30m, 90s, 2h, plain minutes; anything else is a usage error', () => {
  assert.equal(parseSoakDuration('30m'), 1_800_000)
  assert.equal(parseSoakDuration('90s'), 90_000)
  assert.equal(parseSoakDuration('2h'), 7_200_000)
  assert.equal(parseSoakDuration('1.5'), 90_000)
  for (const bad of ['', 'soon', '0m', '-5m', '5 minutes', '1e3']) {
    assert.throws(() => parseSoakDuration(bad), /--duration must look like 30m, 90s or 2h/, bad)
  }
})

test('isobar bench soak: a bad argument is one line on stderr and exit code 2, before anything starts', async () => {
  // One real process: the usage error of a command becomes the exit status 2 of `isobar` (main.ts).
  const bad = await runIsobar(['bench', 'soak', '--duration', 'soon'])
  assert.equal(bad.exitCode, 2)
  assert.equal(
    bad.stderr.trim().split('\n')[0],
    'isobar: bench soak: --duration must look like 30m, 90s or 2h, got "soon"',
  )
  const both = await runIsobarInProcess(['bench', 'soak', '--minutes', '5', '--duration', '5m'])
  assert.equal(both.exitCode, 2)
  assert.match(both.stderr, /give --duration or --minutes, not both/)
  const rate = await runIsobarInProcess(['bench', 'soak', '--rate', '0'])
  assert.equal(rate.exitCode, 2)
  assert.match(rate.stderr, /--rate must be an integer >= 1/)
})
