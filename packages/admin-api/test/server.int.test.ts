import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testKafkaClient } from '@isobar/testing'
import { startConsole } from '../src/index.ts'

test('startConsole listens, generates and reports a token when none is given, and closes', async () => {
  let reported: string | undefined
  const running = await startConsole({ kafka: testKafkaClient(), port: 0, onToken: (token) => (reported = token) })
  try {
    assert.equal(reported, running.token)
    assert.ok(running.token.length >= 24)
    assert.equal((await fetch(`${running.url}/api/brokers`)).status, 401)
    const brokers = await fetch(`${running.url}/api/brokers`, { headers: { authorization: `Bearer ${running.token}` } })
    assert.equal(brokers.status, 200)
    assert.ok(((await brokers.json()) as { brokers: unknown[] }).brokers.length >= 1)
  } finally {
    await running.close()
  }
  await assert.rejects(fetch(`${running.url}/health`))
})
