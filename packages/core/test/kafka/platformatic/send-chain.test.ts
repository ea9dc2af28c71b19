import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SendAbandonedError, SendChain } from '../../../src/kafka/platformatic/send-chain.ts'

/** A send that settles when the test says so, recording when it started. */
function deferred(log: string[], name: string) {
  let settle: (error?: Error) => void = () => undefined
  const send = () =>
    new Promise<string>((resolve, reject) => {
      log.push(`start ${name}`)
      settle = (error) => (error ? reject(error) : resolve(name))
    })
  return { send, settle: (error?: Error) => settle(error) }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

test('sends run one at a time, in the order they were issued', async () => {
  const chain = new SendChain()
  const log: string[] = []
  const a = deferred(log, 'a')
  const b = deferred(log, 'b')
  const ra = chain.run(a.send)
  const rb = chain.run(b.send)
  await tick()
  assert.deepEqual(log, ['start a'], 'b waits for a')
  a.settle()
  assert.equal(await ra, 'a')
  await tick()
  assert.deepEqual(log, ['start a', 'start b'])
  b.settle()
  assert.equal(await rb, 'b')
})

test('after a send fails, the sends queued behind it are refused unsent; later ones run again', async () => {
  const chain = new SendChain()
  const log: string[] = []
  const a = deferred(log, 'a')
  const b = deferred(log, 'b')
  const ra = chain.run(a.send)
  const rb = chain.run(b.send)
  await tick()
  a.settle(new Error('delivery timeout'))
  await assert.rejects(ra, /delivery timeout/)
  const refused = await rb.then(
    () => assert.fail('b must not be sent'),
    (error: unknown) => error,
  )
  assert.ok(refused instanceof SendAbandonedError)
  assert.equal(refused.canRetry, false)
  assert.deepEqual(log, ['start a'], 'b never started')

  const c = deferred(log, 'c')
  const rc = chain.run(c.send)
  await tick()
  c.settle()
  assert.equal(await rc, 'c')
  assert.deepEqual(log, ['start a', 'start c'])
})
