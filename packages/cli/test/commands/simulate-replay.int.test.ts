import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { FRAME_HEADER_BYTES, MAGIC_BYTE, type ConsumedRecord } from '@isobar/core'
import { MemorySchemaLog, Registry, buildRegistryApp } from '@isobar/registry'
import { LABEL_HEADER } from '@isobar/simulator'
import { createTestTopic, runIsobar, testKafkaClient } from '@isobar/testing'

const registry = new Registry(new MemorySchemaLog(), { timeoutMs: 2000 })
const app = buildRegistryApp({ registry })
let registryUrl: string
const dir = mkdtempSync(join(tmpdir(), 'isobar-replay-'))
before(async () => {
  await registry.start()
  registryUrl = await app.listen({ port: 0, host: '127.0.0.1' })
})
after(async () => {
  await app.close()
  rmSync(dir, { recursive: true, force: true })
})

const CSV = [
  'reading,mote_id,indoor,humidity,temperature,label',
  '1,1,1,45.93,27.97,0',
  '1,2,1,44.10,27.50,0',
  '2,1,1,45.90,27.95,1',
  '2,2,1,44.12,27.52,0',
].join('\n')

test('isobar simulate replay: a CSV through the registry, event times and labels preserved; bad input is one line', async (t) => {
  const topic = await createTestTopic(t, { partitions: 2, prefix: 'replay-cli' })
  const file = join(dir, 'data.csv')
  writeFileSync(file, CSV)
  const mapping = JSON.stringify({
    sensorId: 'mote:{mote_id}',
    time: { sequence: 'reading', intervalMs: 5000, start: '2010-05-09T00:00:00Z' },
    fields: { temperatureC: 'temperature', relativeHumidityPct: 'humidity' },
    label: 'label',
  })
  const run = await runIsobar(
    ['simulate', 'replay', '--file', file, '--mapping', mapping, '--topic', topic, '--registry-url', registryUrl],
    { timeoutMs: 60_000 },
  )
  assert.equal(run.exitCode, 0, run.stderr)
  assert.match(run.stdout, /Replayed 4 of 4 rows from 2 sensors .* 4 acked, 0 failed, 0 invalid/)

  const records: ConsumedRecord[] = []
  for (const partition of [0, 1]) {
    await testKafkaClient().readCommitted({ topic, partition, timeoutMs: 20_000, onRecords: (r) => records.push(...r) })
  }
  assert.equal(records.length, 4)
  const labelled = records.filter((r) => r.headers?.[LABEL_HEADER]?.toString() === '1')
  assert.equal(labelled.length, 1)
  const value = labelled[0]!.value!
  assert.equal(value[0], MAGIC_BYTE, 'registry wire format')
  const reading = JSON.parse(value.subarray(FRAME_HEADER_BYTES).toString()) as Record<string, number | string>
  assert.deepEqual(
    [reading.sensorId, reading.sequence, reading.eventTimeMs, reading.temperatureC, reading.relativeHumidityPct],
    ['mote:1', 1, Date.parse('2010-05-09T00:00:05Z'), 27.95, 45.9],
  )

  const missing = await runIsobar(['simulate', 'replay', '--mapping', mapping], { timeoutMs: 30_000 })
  assert.equal(missing.exitCode, 2)
  assert.match(missing.stderr, /--file is required/)
  const bad = await runIsobar(
    ['simulate', 'replay', '--file', file, '--mapping', '{"sensorId":"{nope}"}', '--topic', topic],
    { timeoutMs: 30_000 },
  )
  assert.equal(bad.exitCode, 1)
  assert.match(bad.stderr, /replay mapping: sensorId \{nope\}: "nope" is not a CSV column/)
  assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr)
})
