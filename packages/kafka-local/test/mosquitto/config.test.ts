import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  isValidMqttUsername,
  mosquittoAcl,
  mosquittoConf,
  mosquittoPaths,
  mqttDeviceName,
  mqttReadingsTopic,
} from '../../src/mosquitto/config.ts'

test('device names map sensor ids one to one onto valid usernames and topic levels', () => {
  assert.equal(mqttDeviceName('sim:s01.z1.temperature-00001'), 'sim_s01.z1.temperature-00001')
  assert.equal(mqttDeviceName('mote:a/b:c'), 'mote_a~b_c')
  assert.notEqual(mqttDeviceName('a:b/c'), mqttDeviceName('a:b:c'))
  assert.ok(isValidMqttUsername(mqttDeviceName('sim:s01.z1.co2-00003')))
  for (const bad of ['a:b', 'a/b', 'a+b', 'a#', 'a b', '', 'x'.repeat(129)])
    assert.equal(isValidMqttUsername(bad), false)
  assert.equal(mqttReadingsTopic('s01', 's01.z1', 'sim:x-1'), 'isobar/s01/s01.z1/sim_x-1/readings')
})

test('the broker listens on 127.0.0.1 only, without anonymous access; the ACL lets a device write only its own topic', () => {
  const paths = mosquittoPaths('/home/x')
  const conf = mosquittoConf(paths, { port: 30699, maxQueuedMessages: 10 })
  assert.match(conf, /^listener 30699 127\.0\.0\.1$/m)
  assert.match(conf, /^allow_anonymous false$/m)
  assert.match(conf, /^password_file \/home\/x\/mqtt\/passwd$/m)
  assert.match(conf, /^acl_file \/home\/x\/mqtt\/acl$/m)
  assert.match(conf, /^max_queued_messages 10$/m)
  assert.doesNotMatch(conf, /^user /m)
  assert.match(mosquittoConf(paths, { port: 1, maxQueuedMessages: 1, runAsUser: 'root' }), /^user root$/m)
  const acl = mosquittoAcl()
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
  assert.deepEqual(acl, [
    'pattern write isobar/+/+/%u/readings',
    'user isobar-bridge',
    'topic read isobar/+/+/+/readings',
    'topic read $SYS/broker/clients/connected',
  ])
})
