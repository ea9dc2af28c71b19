import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  alertmanagerAlert,
  backoffMs,
  parseNotifierConfig,
  sensorPlace,
  signature,
  toNotification,
  verifySignature,
  webhookBody,
} from '@isobar/notifier'
import { alertEvent } from './helpers.ts'

describe('unit: notifications', () => {
  it('places sensors and zones by the id convention, leaves unknown ids unplaced', () => {
    assert.deepEqual(sensorPlace('sim:s01.z2.temperature-00042'), {
      sensor: 'sim:s01.z2.temperature-00042',
      site: 's01',
      zone: 's01.z2',
    })
    assert.deepEqual(sensorPlace('zone:s03.z1'), { zone: 's03.z1', site: 's03' })
    assert.deepEqual(sensorPlace('replay:boiler-7'), { sensor: 'replay:boiler-7' })
  })

  it('sends fired and resolved transitions with notify, nothing else', () => {
    assert.ok(toNotification(alertEvent(), 'sensors'))
    assert.ok(toNotification(alertEvent({ state: 'resolved', change: 'resolved' }), 'sensors'))
    assert.equal(toNotification(alertEvent({ notify: false }), 'sensors'), undefined)
    assert.equal(toNotification(alertEvent({ change: 'acknowledged' }), 'sensors'), undefined)
    assert.equal(toNotification(alertEvent({ change: 'flapping-started' }), 'sensors'), undefined)
  })

  it('gives the same transition the same dedup key, and another transition another key', () => {
    const a = toNotification(alertEvent(), 'sensors')
    const again = toNotification(alertEvent({ raisedAtMs: 1 }), 'sensors')
    const resolved = toNotification(alertEvent({ state: 'resolved', change: 'resolved' }), 'sensors')
    assert.equal(a?.dedupKey, again?.dedupKey)
    assert.notEqual(a?.dedupKey, resolved?.dedupKey)
    assert.match(a?.dedupKey ?? '', /^[0-9a-f]{32}$/)
  })

  it('maps a weather alert to a station label', () => {
    const n = toNotification(alertEvent({ ruleId: 'gust', entityId: 'KSEA' }), 'weather')
    assert.equal(n?.station, 'KSEA')
    assert.equal(n?.sensor, undefined)
  })

  it('builds Alertmanager v2 alerts: identifying labels, resolved ones end at their event time', () => {
    const now = Date.UTC(2026, 11, 4, 12, 5, 0)
    const firing = alertmanagerAlert(toNotification(alertEvent(), 'sensors')!, now, 3_600_000)
    assert.deepEqual(firing.labels, {
      alertname: 'temperature-high',
      rule: 'temperature-high',
      severity: 'critical',
      source: 'sensors',
      entity: 'sim:s01.z2.temperature-00042',
      site: 's01',
      zone: 's01.z2',
      sensor: 'sim:s01.z2.temperature-00042',
    })
    assert.equal(firing.startsAt, '2026-12-04T12:00:00.000Z')
    assert.equal(firing.endsAt, '2026-12-04T13:05:00.000Z')
    const end = Date.UTC(2026, 11, 4, 12, 3, 0)
    const resolved = alertmanagerAlert(
      toNotification(alertEvent({ state: 'resolved', change: 'resolved', eventTimeMs: end }), 'sensors')!,
      now,
      3_600_000,
    )
    assert.equal(resolved.endsAt, '2026-12-04T12:03:00.000Z')
  })

  it('signs the webhook body with HMAC-SHA256 over timestamp and body', () => {
    const body = webhookBody(toNotification(alertEvent(), 'sensors')!)
    const sig = signature('a-secret-of-16-chars', '1700000000', body)
    assert.match(sig, /^sha256=[0-9a-f]{64}$/)
    assert.ok(verifySignature('a-secret-of-16-chars', '1700000000', body, sig))
    assert.ok(!verifySignature('another-secret-16-chars', '1700000000', body, sig))
    assert.ok(!verifySignature('a-secret-of-16-chars', '1700000001', body, sig))
    assert.ok(!verifySignature('a-secret-of-16-chars', '1700000000', body.replace('41.5', '40.1'), sig))
  })

  it('backs off exponentially up to the ceiling, with bounded jitter', () => {
    const policy = { initialMs: 100, maxMs: 1000 }
    assert.equal(
      backoffMs(policy, 1, () => 0.5),
      100,
    )
    assert.equal(
      backoffMs(policy, 3, () => 0.5),
      400,
    )
    assert.equal(
      backoffMs(policy, 10, () => 0.5),
      1000,
    )
    assert.equal(
      backoffMs(policy, 1, () => 0),
      80,
    )
    assert.equal(
      backoffMs(policy, 1, () => 1),
      120,
    )
  })

  it('validates the config: a channel is required, bad values are named', () => {
    assert.throws(() => parseNotifierConfig({}), /NOTIFIER_ALERTMANAGER_URL or NOTIFIER_WEBHOOK_URL/)
    assert.throws(() => parseNotifierConfig({ webhook: { url: 'http://127.0.0.1:1/x', secret: 'short' } }), /secret/)
    assert.throws(() => parseNotifierConfig({ alertmanager: { url: 'ftp://x' } }), /alertmanager\/url/)
    assert.throws(
      () => parseNotifierConfig({ alertmanager: { url: 'http://127.0.0.1:9093' }, metricsPort: '9467' }),
      /metricsPort must be integer/,
    )
    const config = parseNotifierConfig({ alertmanager: { url: 'http://127.0.0.1:9093' } })
    assert.equal(config.groupId, 'isobar-notifier')
    assert.deepEqual(config.topics, { sensors: 'sensors.alerts', weather: 'weather.alerts' })
    assert.equal(config.metricsPort, 9467)
  })
})
