import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CheckPool } from '../../src/compatibility/check-pool.ts'
import { instance, jsonSchema } from '../helpers.ts'

describe('unit: /metrics', () => {
  it('serves Prometheus text with HTTP request counts by route template and status that move', async (t) => {
    const { app, call } = await instance()
    t.after(() => app.close())
    await call('GET', '/subjects')
    await call('GET', '/subjects/missing-value/versions')
    const response = await app.inject({ method: 'GET', url: '/metrics' })
    assert.equal(response.statusCode, 200)
    assert.match(response.headers['content-type'] as string, /^text\/plain/)
    assert.match(
      response.body,
      /isobar_registry_http_requests_total\{method="GET",route="\/subjects",status_code="200",service="registry"\} 1/,
    )
    assert.match(response.body, /route="\/subjects\/:subject\/versions",status_code="404"/)
    assert.match(response.body, /isobar_process_cpu_seconds_total/)
  })

  it('counts compatibility checks run in the worker pool', async (t) => {
    // Its own pool: the counters asserted are this test's alone.
    const { app, call, registry } = await instance({}, { checker: new CheckPool() })
    t.after(async () => {
      await app.close()
      await registry.close()
    })
    await call('POST', '/subjects/s/versions', jsonSchema({ type: 'string' }))
    await call('POST', '/compatibility/subjects/s/versions/latest', jsonSchema({ type: 'integer' }))
    const body = (await app.inject({ method: 'GET', url: '/metrics' })).body
    assert.match(body, /isobar_registry_compatibility_checks\{state="completed",service="registry"\} 1/)
    assert.match(body, /isobar_registry_compatibility_checks\{state="refused",service="registry"\} 0/)
  })

  it('exposes readiness as isobar_registry_ready (1 once the schemas log is read)', async (t) => {
    const { app } = await instance()
    t.after(() => app.close())
    const body = (await app.inject({ method: 'GET', url: '/metrics' })).body
    assert.match(body, /isobar_registry_ready\{service="registry"\} 1/)
  })
})
