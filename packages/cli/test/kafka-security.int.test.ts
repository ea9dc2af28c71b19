import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { kafkaConfigFromEnv } from '@isobar/core'
import type { KafkaClientCredentials } from '@isobar/kafka-local'
import { credentialEnv, securityMode, SERVICE_PRINCIPALS, toolArgsWithCredentials } from '../src/kafka-security.ts'
import { platformServices } from '../src/platform.ts'

const args = (secure: boolean) => ({ values: { secure }, positionals: [] })

const credentials: KafkaClientCredentials = {
  principal: 'weather',
  username: 'weather-streamer',
  password: 'p4ss',
  mechanism: 'SCRAM-SHA-512',
  caFile: '/home/u/.isobar/kafka/dev/security/ca.pem',
  propertiesFile: '/home/u/.isobar/kafka/dev/security/clients/weather.properties',
}

describe('kafka security for the CLI', () => {
  it('selects the mode from --secure, else ISOBAR_KAFKA_SECURITY, else leaves it to the cluster', () => {
    assert.equal(securityMode(args(true), {}, 'start'), 'sasl_ssl')
    assert.equal(securityMode(args(false), { ISOBAR_KAFKA_SECURITY: 'SASL_SSL' }, 'start'), 'sasl_ssl')
    assert.equal(securityMode(args(false), { ISOBAR_KAFKA_SECURITY: 'none' }, 'start'), 'none')
    assert.equal(securityMode(args(false), {}, 'start'), undefined)
    assert.throws(
      () => securityMode(args(false), { ISOBAR_KAFKA_SECURITY: 'ssl' }, 'kafka start'),
      (error: Error & { code?: string }) =>
        error.code === 'ISOBAR_CLI_USAGE' &&
        /ISOBAR_KAFKA_SECURITY must be sasl_ssl or none, got "ssl"/.test(error.message),
    )
  })

  it('turns a principal’s credentials into the KAFKA_* variables core reads', () => {
    const env = credentialEnv(credentials)
    const config = kafkaConfigFromEnv({ ...env, KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9092' })
    assert.deepEqual(config.sasl, { mechanism: 'SCRAM-SHA-512', username: 'weather-streamer', password: 'p4ss' })
    assert.equal(config.tls?.ca, credentials.caFile)
    assert.deepEqual(credentialEnv(undefined), {})
  })

  it('gives each npm start service its own principal’s variables, and nothing when not secured', () => {
    const settings = {
      repoRoot: '/repo',
      bootstrapServers: '127.0.0.1:9092',
      registryPort: 8081,
      consolePort: 8080,
      consoleToken: 't',
    }
    const kafkaEnv = Object.fromEntries(
      Object.entries(SERVICE_PRINCIPALS).map(([service, principal]) => [service, { KAFKA_SASL_USERNAME: principal }]),
    )
    const secured = platformServices({ ...settings, kafkaEnv })
    const plain = platformServices(settings)
    assert.deepEqual(
      secured.map((spec) => [spec.name, spec.env?.KAFKA_SASL_USERNAME]),
      [
        ['registry', 'registry'],
        ['console', 'admin'],
        ['weather', 'weather'],
        ['analytics', 'analytics'],
        ['sensors', 'simulator'],
      ],
    )
    for (const spec of secured) assert.equal(spec.env?.KAFKA_BOOTSTRAP_SERVERS, '127.0.0.1:9092')
    for (const spec of plain) assert.equal(spec.env?.KAFKA_SASL_USERNAME, undefined)
  })

  it('adds the admin client config to Kafka tools that take one, unless the user gave a config', () => {
    const file = '/x/admin.properties'
    assert.deepEqual(toolArgsWithCredentials('kafka-topics', ['--list'], file), ['--list', '--command-config', file])
    assert.deepEqual(toolArgsWithCredentials('kafka-topics', ['--list', '--command-config', 'mine'], file), [
      '--list',
      '--command-config',
      'mine',
    ])
    assert.deepEqual(toolArgsWithCredentials('kafka-console-producer', ['--producer.config=mine'], file), [
      '--producer.config=mine',
    ])
    assert.deepEqual(toolArgsWithCredentials('kafka-storage', ['info'], file), ['info'])
  })
})
