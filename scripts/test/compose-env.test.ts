import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { parse } from 'yaml'
import { CONSOLE_ENV } from '@isobar/admin-api'
import { KAFKA_ENV, type EnvSchema } from '@isobar/core'
import { REGISTRY_ENV } from '@isobar/registry'
import { ANALYTICS_ENV } from '@isobar/sensor-analytics'
import { WEATHER_ENV } from '@isobar/weather-streamer'

/** The image's first argument → the schema its process reads the environment through. */
const SCHEMAS: Record<string, EnvSchema> = {
  registry: REGISTRY_ENV,
  console: CONSOLE_ENV,
  'weather-streamer': WEATHER_ENV,
  analytics: ANALYTICS_ENV,
}
/** Read by the image itself or by tools in it, not by the service's schema. */
const IMAGE_VARIABLES = new Set(['ISOBAR_HEALTH_URL', 'NODE_OPTIONS', 'METRICS_HOST'])

interface ComposeService {
  command?: string[]
  environment?: Record<string, unknown>
}

test('compose.yaml sets only variables its services read (a renamed setting would be silently ignored)', () => {
  const compose = parse(readFileSync(new URL('../../compose.yaml', import.meta.url), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>
    'x-isobar-env': Record<string, unknown>
  }
  // The shared block every Isobar container gets (not each of them reads all of it).
  const shared = new Set(Object.keys(compose['x-isobar-env']))
  let checked = 0
  for (const [name, service] of Object.entries(compose.services)) {
    const schema = SCHEMAS[service.command?.[0] ?? '']
    if (!schema) continue
    const known = new Set([...Object.keys(schema.vars), ...Object.keys(KAFKA_ENV.vars)])
    const unknown = Object.keys(service.environment ?? {}).filter(
      (v) => !known.has(v) && !IMAGE_VARIABLES.has(v) && !shared.has(v),
    )
    assert.deepEqual(unknown, [], `${name}: not read by ${schema.name}`)
    checked++
  }
  assert.ok(checked >= 6, `checked ${checked} services`)
})
