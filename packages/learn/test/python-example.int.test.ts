import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { JsonSerde, SchemaRegistryClient, type ConsumedRecord } from '@isobar/core'
import { startRegistryFixture } from '@isobar/registry/fixture'
import { sensorReadingV3 } from '@isobar/schemas'
import { REPO_ROOT, runProcess, testBootstrapServers, testKafkaClient, uniqueTopicName } from '@isobar/testing'

// examples/python against Isobar: confluent-kafka from PyPI in a venv cached under the gitignored .isobar/.
const EXAMPLE = join(REPO_ROOT, 'examples', 'python')
const VENV = join(REPO_ROOT, '.isobar', 'python-venv')
const PYTHON = join(VENV, 'bin', 'python')

/** Creates the venv and installs the pinned requirements, unless the cached venv has exactly those. */
async function ensureVenv(): Promise<void> {
  const requirements = await readFile(join(EXAMPLE, 'requirements.txt'))
  const stamp = join(VENV, 'isobar-requirements.sha256')
  const hash = createHash('sha256').update(requirements).digest('hex')
  if (existsSync(PYTHON) && existsSync(stamp) && (await readFile(stamp, 'utf8')) === hash) return
  await rm(VENV, { recursive: true, force: true })
  const venv = await runProcess('python3', ['-m', 'venv', VENV], { timeoutMs: 120_000 })
  assert.equal(venv.exitCode, 0, venv.stderr)
  const pip = await runProcess(
    PYTHON,
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', join(EXAMPLE, 'requirements.txt')],
    { timeoutMs: 600_000 },
  )
  assert.equal(pip.exitCode, 0, pip.stderr)
  await writeFile(stamp, hash)
}

test('the Python example writes readings Isobar decodes, and reads readings Isobar wrote, through Isobar’s registry', async (t) => {
  await ensureVenv()
  const kafka = testKafkaClient()
  const admin = kafka.admin()
  const topic = uniqueTopicName('py-readings')
  t.after(async () => {
    await admin.deleteTopics([topic]).catch(() => undefined)
    await admin.close()
  })
  const registry = await startRegistryFixture({ kafka, prefix: 'py-schemas', electionWaitMs: 60_000 })
  t.after(() => registry.close())
  await admin.createTopics([{ name: topic, partitions: 1, replicationFactor: 1 }])
  // Isobar owns the schema: its current SensorReading, registered the way `isobar schemas register --catalogue` does.
  const serde = new JsonSerde({ registry: new SchemaRegistryClient({ url: registry.url }) })
  const { schemaId } = await serde.prepare(`${topic}-value`, sensorReadingV3)
  const env = { KAFKA_BOOTSTRAP_SERVERS: testBootstrapServers(), SCHEMA_REGISTRY_URL: registry.url }

  // Python → Isobar.
  const produced = await runProcess(PYTHON, [join(EXAMPLE, 'producer.py'), '--topic', topic, '--count', '5'], {
    env: { ...process.env, ...env },
    timeoutMs: 120_000,
  })
  assert.equal(produced.exitCode, 0, produced.stderr)
  assert.match(produced.stdout, new RegExp(`wrote 5 readings to ${topic} with schema id ${schemaId}`))
  const fromPython: ConsumedRecord[] = []
  await kafka.readCommitted({ topic, partition: 0, onRecords: (records) => fromPython.push(...records) })
  assert.equal(fromPython.length, 5)
  for (const record of fromPython) {
    const decoded = await serde.deserialize<{ sensorId: string; sequence: number }>(record.value)
    assert.equal(decoded.schemaId, schemaId)
    assert.match(decoded.value.sensorId, /^py:sensor-\d$/)
  }

  // Isobar → Python.
  const producer = kafka.producer()
  const now = Date.now()
  await producer.send(
    [0, 1, 2].map((sequence) => ({
      topic,
      key: Buffer.from('mote:isobar'),
      value: serde.serialize(`${topic}-value`, {
        sensorId: 'mote:isobar',
        sequence,
        eventTimeMs: now,
        ingestTimeMs: now,
        relativeHumidityPct: 40 + sequence,
      }),
    })),
  )
  await producer.close()
  const consumed = await runProcess(
    PYTHON,
    [join(EXAMPLE, 'consumer.py'), '--topic', topic, '--max-messages', '8', '--timeout-s', '90'],
    { env: { ...process.env, ...env }, timeoutMs: 150_000 },
  )
  assert.equal(consumed.exitCode, 0, consumed.stderr)
  const lines = consumed.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { schemaId: number; value: { sensorId: string; relativeHumidityPct?: number } })
  assert.equal(lines.length, 8)
  assert.ok(lines.every((l) => l.schemaId === schemaId))
  assert.deepEqual(
    lines.filter((l) => l.value.sensorId === 'mote:isobar').map((l) => l.value.relativeHumidityPct),
    [40, 41, 42],
  )
})
