import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseReadingsTopic } from '../../src/mqtt/topic.ts'

test('readings topics: isobar/<site>/<zone>/<device>/readings and nothing else', () => {
  assert.deepEqual(parseReadingsTopic('isobar/s01/s01.z1/sim_a-1/readings'), {
    ok: true,
    origin: { siteId: 's01', zoneId: 's01.z1', device: 'sim_a-1' },
  })
  for (const bad of [
    'isobar/s01/z1/readings',
    'isobar/s01/z1/d/extra/readings',
    'other/s/z/d/readings',
    'isobar//z/d/readings',
  ]) {
    const parsed = parseReadingsTopic(bad)
    assert.equal(parsed.ok, false, bad)
  }
})
