import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runIsobarInProcess } from '../run-in-process.ts'

test('isobar bench latency: a bad argument is one line on stderr and exit code 2, before anything starts', async () => {
  const rates = await runIsobarInProcess(['bench', 'latency', '--rates', '1000,fast'])
  assert.equal(rates.exitCode, 2)
  assert.equal(
    rates.stderr.trim(),
    'isobar: bench latency: rates: "fast" is not a number of records/s (e.g. 1000 or 10k)',
  )
  const tooFast = await runIsobarInProcess(['bench', 'latency', '--rates', '2000k'])
  assert.equal(tooFast.exitCode, 2)
  assert.match(tooFast.stderr, /rates: 2000000 is not an integer from 1 to 1000000/)
  const seconds = await runIsobarInProcess(['bench', 'latency', '--seconds', '0'])
  assert.equal(seconds.exitCode, 2)
  assert.match(seconds.stderr, /--seconds must be an integer >= 1/)
})

test('isobar bench produce|consume: an unknown --clients name is a usage error naming it', async () => {
  const bad = await runIsobarInProcess(['bench', 'consume', '--clients', 'isobar,java,rdkafka'])
  assert.equal(bad.exitCode, 2)
  assert.equal(
    bad.stderr.trim(),
    'isobar: bench consume: --clients: unknown client "rdkafka" (expected isobar, java, kafkajs, confluent)',
  )
  const noJava = await runIsobarInProcess(['bench', 'produce', '--clients', 'isobar,kafkajs'])
  assert.equal(noJava.exitCode, 2)
  assert.match(noJava.stderr, /--clients: clients must include java/)
})
