/**
 * The decoder warm-up with a fake registry (no Kafka): after it, a topic's first framed value decodes without
 * asking the registry anything; a subject that is not registered makes it reject (the feed retries later).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { encodeJsonFrame, registryMessageDecoder, type SchemaSource } from '@isobar/core'
import { registryDecoderWarmup } from '../../src/live/schema-warmup.ts'

const SCHEMA = JSON.stringify({
  type: 'object',
  required: ['ruleId', 'entityId'],
  properties: { ruleId: { type: 'string' }, entityId: { type: 'string' } },
})

function fakeRegistry() {
  const calls = { getSchemaById: 0, getVersion: 0 }
  const subjects = new Map<string, number>([['alerts-t-value', 7]])
  const registry: SchemaSource = {
    register: () => Promise.reject(new Error('not used')),
    lookup: () => Promise.reject(new Error('not used')),
    getSchemaById: (id) => {
      calls.getSchemaById++
      if (id !== 7) return Promise.reject(new Error(`no schema ${id}`))
      return Promise.resolve({ id, schema: SCHEMA, schemaType: 'JSON', references: [] })
    },
    getVersion: (subject) => {
      calls.getVersion++
      const id = subjects.get(subject)
      if (id === undefined) return Promise.reject(new Error(`subject ${subject} not found`))
      return Promise.resolve({ subject, version: 1, id, schema: SCHEMA, schemaType: 'JSON', references: [] })
    },
  }
  return { registry, calls }
}

test('after the warm-up, the first record of the topic decodes without a registry call', async () => {
  const { registry, calls } = fakeRegistry()
  const decoder = registryMessageDecoder(registry)
  await registryDecoderWarmup(registry, decoder)('alerts-t')
  assert.deepEqual(calls, { getSchemaById: 1, getVersion: 1 })

  const value = { ruleId: 'temperature-high', entityId: 'mote:1' }
  const decoded = await decoder.decode(encodeJsonFrame(7, JSON.stringify(value)), { topic: 'alerts-t', part: 'value' })
  assert.deepEqual(decoded, { format: 'json', data: value, schemaId: 7 })
  assert.equal(calls.getSchemaById, 1, 'the schema was fetched and compiled by the warm-up, not by the first record')
})

test('the warm-up rejects while the subject is not registered', async () => {
  const { registry, calls } = fakeRegistry()
  const decoder = registryMessageDecoder(registry)
  await assert.rejects(registryDecoderWarmup(registry, decoder)('other'), /subject other-value not found/)
  assert.equal(calls.getSchemaById, 0)
})
