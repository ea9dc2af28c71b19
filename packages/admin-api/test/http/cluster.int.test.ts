import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testApp } from '../helpers.ts'

test('cluster: brokers, the KRaft quorum with its leader and voters, broker configs read-only', async (t) => {
  const { call } = testApp(t)
  const brokers = await call('GET', '/api/brokers')
  assert.equal(brokers.status, 200)
  const [broker] = brokers.json.brokers
  assert.ok(broker, 'at least one broker')

  const quorum = await call('GET', '/api/cluster/quorum')
  assert.equal(quorum.status, 200, quorum.response.body)
  assert.equal(quorum.json.supported, true, quorum.json.reason)
  const cluster = await call('GET', '/api/cluster')
  assert.equal(quorum.json.controllerId, cluster.json.controllerId)
  const voters = quorum.json.voters as Array<{ replicaId: number; lag: number; logEndOffset: number }>
  assert.ok(
    voters.some((v) => v.replicaId === quorum.json.leaderId),
    'the leader is a voter',
  )
  assert.ok(quorum.json.highWatermark > 0)
  for (const v of voters) assert.ok(v.lag >= 0 && v.logEndOffset >= 0)

  const configs = await call('GET', `/api/brokers/${broker.nodeId}/configs`)
  assert.equal(configs.status, 200)
  const entries = configs.json.configs as Array<{ name: string; value: string | null; source: string }>
  const listeners = entries.find((e) => e.name === 'advertised.listeners')
  assert.match(listeners?.value ?? '', new RegExp(`${broker.host}:${broker.port}`))
  assert.ok(entries.some((e) => e.source === 'default'))

  const missing = await call('GET', '/api/brokers/987654/configs')
  assert.equal(missing.status, 404)
  assert.match(missing.json.message, /Broker 987654 is not in the cluster/)
  assert.equal((await call('GET', '/api/brokers/one/configs')).status, 400)
  assert.equal((await call('PATCH', `/api/brokers/${broker.nodeId}/configs`, {})).status, 405)
})
