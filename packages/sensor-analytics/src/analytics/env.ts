/**
 * The Sensor Analytics process's environment, read once by main.ts through `loadConfig` (docs/configuration.md
 * is generated from ANALYTICS_ENV). The variables are shortcuts over ANALYTICS_CONFIG, the whole config as JSON,
 * which `parseSensorAnalyticsConfig` then validates as a whole.
 */
import { definedEntries, LOG_LEVEL_VAR, loadConfig, type Env, type EnvSchema } from '@isobar/core'

export const ANALYTICS_ENV = {
  name: 'sensor analytics',
  title: 'Sensor Analytics (`packages/sensor-analytics/src/analytics/main.ts`)',
  vars: {
    ANALYTICS_CONFIG: {
      type: 'json',
      description: 'the whole config (schema in `config.ts`); the variables below win',
    },
    ANALYTICS_APP_ID: { type: 'string', description: 'application id: consumer groups, internal topics' },
    ANALYTICS_INSTANCE_ID: {
      type: 'string',
      description: 'stable per instance: static membership and transactional ids',
    },
    ANALYTICS_GUARANTEE: {
      type: 'enum',
      values: ['exactly-once', 'at-least-once'],
      description: 'processing guarantee (default `exactly-once`)',
    },
    ANALYTICS_STAGES: { type: 'string', description: 'comma list of `panes`, `zone-1m`, `hopping` (default all)' },
    ANALYTICS_FROM: {
      type: 'enum',
      values: ['earliest', 'latest'],
      description: 'where a new group starts (default `earliest`)',
    },
    ANALYTICS_RULES_FILE: { type: 'string', description: 'alert rules (default `rules/sensor-alerts.yaml`)' },
    METRICS_PORT: {
      type: 'integer',
      min: 0,
      max: 65_535,
      description: '/metrics, /health, /ready port (default 9465; 0: any free port)',
    },
    METRICS_HOST: {
      type: 'string',
      description: 'interface of /metrics, /health, /ready (default 127.0.0.1; 0.0.0.0 in a container)',
    },
    SCHEMA_REGISTRY_URL: {
      type: 'url',
      secret: true,
      description: 'frame aggregates and alerts through this registry; unset: plain JSON',
    },
    LOG_LEVEL: LOG_LEVEL_VAR,
  },
} as const satisfies EnvSchema

/** The raw Sensor Analytics config from the environment, for `parseSensorAnalyticsConfig`. */
export function analyticsConfigFromEnv(env: Env): Record<string, unknown> {
  const c = loadConfig(ANALYTICS_ENV, env)
  const base = c.ANALYTICS_CONFIG ?? {}
  const alerts = (base.alerts ?? {}) as Record<string, unknown>
  return {
    ...base,
    ...definedEntries({
      applicationId: c.ANALYTICS_APP_ID,
      instanceId: c.ANALYTICS_INSTANCE_ID,
      guarantee: c.ANALYTICS_GUARANTEE,
      stages: c.ANALYTICS_STAGES?.split(',').map((stage) => stage.trim()),
      from: c.ANALYTICS_FROM,
      metricsPort: c.METRICS_PORT,
      metricsHost: c.METRICS_HOST,
      registryUrl: c.SCHEMA_REGISTRY_URL,
    }),
    alerts: { ...alerts, ...definedEntries({ rulesFile: c.ANALYTICS_RULES_FILE }) },
  }
}
