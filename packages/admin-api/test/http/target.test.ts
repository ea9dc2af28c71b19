import assert from 'node:assert/strict'
import { test } from 'node:test'
import { targetProblem } from '../../src/http/access.ts'

test('request targets: plain origin-form paths pass, absolute-form and ambiguous paths are named', () => {
  for (const ok of [
    '/api/topics',
    '/api/topics/a.b-c_d?x=1',
    '/%61pi/topics/x',
    '/api/groups/a%20b',
    '/',
    '/api/topics/',
  ]) {
    assert.equal(targetProblem(ok), undefined, ok)
  }
  for (const [target, problem] of [
    ['http://127.0.0.1:8080/api/topics', /origin-form/],
    ['*', /origin-form/],
    ['api/topics', /origin-form/],
    ['//api/topics', /empty path segments/],
    ['/api//topics', /empty path segments/],
    ['/api/./topics', /dot segments/],
    ['/api/x/../topics', /dot segments/],
    ['/api/%2e%2E/topics', /dot segments/],
    ['/api/%2E/topics', /dot segments/],
    ['/api/topics%2Fx', /encoded slashes/],
    ['/api/topics%5cx', /encoded slashes/],
    ['/api\\topics', /encoded slashes/],
    ['/api/topics/%zz', /percent-encoding/],
    ['/api/topics/%E0%A4%A', /percent-encoding/],
  ] as const) {
    assert.match(targetProblem(target) ?? 'accepted', problem, target)
  }
  // The query string is not a path: dots and slashes there are data.
  assert.equal(targetProblem('/api/topics?a=../b//c'), undefined)
})
