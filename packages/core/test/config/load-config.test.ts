import assert from 'node:assert/strict'
import { test } from 'node:test'
import { kafkaConfigFromEnv } from '../../src/config/env.ts'
import { loadConfig, renderConfigurationDoc, type EnvSchema } from '../../src/config/load-config.ts'
import { isIsobarError } from '../../src/errors.ts'

const SCHEMA = {
  name: 'test',
  title: 'Test',
  vars: {
    PORT: { type: 'integer', min: 0, max: 65_535, default: 8080, description: 'port' },
    NAME: { type: 'string', description: 'name' },
    ON: { type: 'boolean', default: false, description: 'switch' },
    MODE: { type: 'enum', values: ['a', 'b'], default: 'a', description: 'mode' },
    URL: { type: 'url', description: 'where' },
    SECRET: { type: 'integer', min: 1, max: 2, secret: true, description: 'hidden' },
  },
} as const satisfies EnvSchema

test('loadConfig: defaults for unset or empty variables, typed values, a frozen result', () => {
  const config = loadConfig(SCHEMA, { PORT: '', NAME: 'x', ON: 'true', MODE: 'b', URL: 'https://h:1/p' })
  assert.deepEqual({ ...config }, { PORT: 8080, NAME: 'x', ON: true, MODE: 'b', URL: 'https://h:1/p' })
  assert.ok(Object.isFrozen(config))
  assert.equal(loadConfig(SCHEMA, {}).NAME, undefined)
})

test('loadConfig: no coercion, every problem in one ISOBAR_CORE_CONFIG_INVALID error, secrets not echoed', () => {
  const env = { PORT: '0x50', ON: 'yes', MODE: 'c', URL: 'ftp://h', SECRET: '99999' }
  assert.throws(
    () => loadConfig(SCHEMA, env),
    (error: unknown) => {
      assert.ok(isIsobarError(error))
      assert.equal(error.code, 'ISOBAR_CORE_CONFIG_INVALID')
      assert.equal(error.retriable, false)
      for (const name of ['PORT', 'ON', 'MODE', 'URL', 'SECRET']) assert.match(error.message, new RegExp(name))
      assert.doesNotMatch(error.message, /99999/)
      assert.deepEqual((error.details.problems as string[]).length, 5)
      return true
    },
  )
  for (const bad of ['1e3', ' 80', '80.0', '-1', '65536'])
    assert.throws(() => loadConfig(SCHEMA, { PORT: bad }), /PORT/)
})

test('kafkaConfigFromEnv goes through the same edge: a bad KAFKA_TLS is refused, not ignored', () => {
  assert.throws(() => kafkaConfigFromEnv({ KAFKA_TLS: 'yes' }), /KAFKA_TLS must be 1, 0, true or false/)
  const tls = kafkaConfigFromEnv({
    KAFKA_TLS: '1',
    KAFKA_TLS_REJECT_UNAUTHORIZED: '0',
    KAFKA_SASL_MECHANISM: 'plain',
    KAFKA_SASL_USERNAME: 'u',
    KAFKA_SASL_PASSWORD: 'p',
  })
  assert.deepEqual(tls.tls, { rejectUnauthorized: false })
  assert.equal(tls.sasl?.mechanism, 'PLAIN')
  assert.equal(kafkaConfigFromEnv({}).tls, undefined)
})

test('renderConfigurationDoc: one row per variable with its type and default', () => {
  const doc = renderConfigurationDoc([SCHEMA])
  assert.match(doc, /^## Test$/m)
  assert.match(doc, /^\| `PORT` \| integer 0–65535 \| `8080` \| port \|$/m)
  assert.match(doc, /^\| `MODE` \| `a`, `b` \| `a` \| mode \|$/m)
  assert.equal(doc.split('\n').filter((line) => line.startsWith('| `')).length, 6)
})

test('loadConfig: an unknown variable under an owned prefix is refused, naming the rename or the near name', () => {
  const owned = {
    name: 'registry',
    title: 'Registry',
    vars: {
      ISOBAR_REGISTRY_PORT: { type: 'integer', min: 0, max: 65_535, default: 8081, description: 'port' },
      ISOBAR_REGISTRY_ADVERTISED_URL: { type: 'url', description: 'advertised' },
    },
    ownedPrefixes: ['ISOBAR_REGISTRY_'],
    renamed: { ISOBAR_REGISTRY_URL: 'ISOBAR_REGISTRY_ADVERTISED_URL' },
  } as const satisfies EnvSchema
  assert.equal(
    loadConfig(owned, { ISOBAR_REGISTRY_PORT: '1', OTHER_THING: 'x', ISOBAR_REGISTRY_GONE: '' }).ISOBAR_REGISTRY_PORT,
    1,
  )
  assert.throws(
    () => loadConfig(owned, { ISOBAR_REGISTRY_URL: 'http://h:1', ISOBAR_REGISTRY_PROT: '1', ISOBAR_REGISTRY_X: '1' }),
    (e: Error & { details?: { problems?: string[] } }) => {
      assert.deepEqual(e.details?.problems, [
        'ISOBAR_REGISTRY_URL is not a registry setting (renamed to ISOBAR_REGISTRY_ADVERTISED_URL)',
        'ISOBAR_REGISTRY_PROT is not a registry setting (did you mean ISOBAR_REGISTRY_PORT?)',
        'ISOBAR_REGISTRY_X is not a registry setting',
      ])
      return true
    },
  )
})
