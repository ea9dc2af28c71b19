import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SessionStore, sessionIdFrom } from '../../src/http/sessions.ts'

test('sessions expire after their lifetime and the store never holds more than its bound', () => {
  let now = 1_000_000
  const store = new SessionStore({ maxSessions: 3, ttlMs: 12 * 3600_000, now: () => now })
  const first = store.create('admin')
  assert.match(first, /^[A-Za-z0-9_-]{43}$/)
  assert.equal(Buffer.from(first, 'base64url').length, 32)
  assert.equal(store.roleOf(first), 'admin')
  now += 12 * 3600_000 - 1
  assert.equal(store.roleOf(first), 'admin')
  now += 1
  assert.equal(store.roleOf(first), undefined, 'expired at 12 h')

  const ids = ['read', 'admin', 'read', 'admin'].map((role) => store.create(role as 'read' | 'admin'))
  assert.equal(store.size, 3)
  assert.equal(store.roleOf(ids[0] ?? ''), undefined, 'the oldest made room')
  assert.deepEqual(
    ids.slice(1).map((id) => store.roleOf(id)),
    ['admin', 'read', 'admin'],
  )
  store.delete(ids[3] ?? '')
  assert.equal(store.roleOf(ids[3] ?? ''), undefined)
})

test('the session id is read from the Cookie header only in its exact shape', () => {
  const id = 'a'.repeat(43)
  assert.equal(sessionIdFrom(`theme=dark; isobar_session=${id}; x=1`), id)
  assert.equal(sessionIdFrom(`isobar_session=${id}x`), undefined)
  assert.equal(sessionIdFrom('isobar_session=../../etc'), undefined)
  assert.equal(sessionIdFrom(`xisobar_session=${id}`), undefined)
  assert.equal(sessionIdFrom(undefined), undefined)
})
