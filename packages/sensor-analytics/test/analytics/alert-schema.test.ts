import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AlertEngine, createAlertCommand, fieldAccessor, loadRulesFile, type AlertEvent } from '@isobar/alerts'
import { ValidatorCache } from '@isobar/core'
import { latestSchema, type SensorReading } from '@isobar/schemas'
import { DEFAULT_SENSOR_RULES_FILE } from '../../src/analytics/config.ts'

// The service publishes the engine's events through the catalogue's latest alert schema; a drift between
// the two would make every alert unpublishable, so the default rules' whole lifecycle is checked here.
test('alert events of the default sensor rules (fire, ack, silence, stale, resolve) are valid sensors.alerts values', async () => {
  const validate = new ValidatorCache().compile(0, JSON.stringify(latestSchema('sensors.alerts')))
  let now = 1_767_225_600_000
  const engine = new AlertEngine<SensorReading>({
    rules: await loadRulesFile(DEFAULT_SENSOR_RULES_FILE),
    accessor: fieldAccessor<SensorReading>({ entity: 'sensorId', time: 'eventTimeMs' }),
    clock: () => now,
  })
  const events: AlertEvent[] = []
  const reading = (i: number, temperatureC: number): SensorReading => ({
    sensorId: 'sim:s01.z1.temperature-00001',
    sequence: i,
    eventTimeMs: now,
    ingestTimeMs: now,
    temperatureC,
  })
  let i = 0
  for (; i < 260; i++, now += 1000) events.push(...engine.ingest(reading(i, i < 60 ? 20 : 40)))
  events.push(
    ...engine.applyCommand(
      createAlertCommand(
        {
          action: 'acknowledge',
          ruleId: 'temperature-high',
          entityId: 'sim:s01.z1.temperature-00001',
          issuedBy: 'test',
        },
        now,
      ),
    ).events,
    ...engine.applyCommand(
      createAlertCommand(
        {
          action: 'silence',
          ruleId: 'temperature-high',
          entityId: 'sim:s01.z1.temperature-00001',
          silenceUntilMs: now + 60_000,
          issuedBy: 'test',
        },
        now,
      ),
    ).events,
  )
  for (; i < 460; i++, now += 1000) events.push(...engine.ingest(reading(i, 20)))
  now += 10 * 60_000
  events.push(...engine.tick())
  const changes = new Set(events.map((e) => `${e.ruleId}:${e.change}`))
  for (const expected of [
    'temperature-high:fired',
    'temperature-high:acknowledged',
    'temperature-high:resolved',
    'temperature-jump:fired',
    'sensor-stale:fired',
  ]) {
    assert.ok(changes.has(expected), `${expected} in ${[...changes].join(', ')}`)
  }
  for (const event of events)
    assert.equal(validate(JSON.parse(JSON.stringify(event))), undefined, JSON.stringify(event))
})
