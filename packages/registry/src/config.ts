/**
 * The registry process's settings from the environment, checked once in main.ts: listen address, schema and
 * compatibility-check limits, the compatibility worker pool, and optional HTTP basic auth users. Numbers must
 * be plain decimal integers (no coercion of anything else); every problem is reported at once.
 */
import { IsobarError } from '@isobar/core'
import { DEFAULT_SCHEMA_LIMITS, type SchemaLimits } from './compatibility/limits.ts'

export interface RegistryProcessConfig {
  /** Where schemas live: the `_schemas` topic (default), or memory only (a throwaway registry for benchmarks). */
  store: 'kafka' | 'memory'
  port: number
  host: string
  instanceUrl?: string
  logLevel: string
  limits: SchemaLimits
  compatibilityWorkers: number
  compatibilityQueue: number
  /** Inline `user:password:role` list, or undefined. */
  basicAuthUsers?: string
  /** Path of a users file, or undefined. */
  basicAuthUsersFile?: string
}

type Env = Record<string, string | undefined>

const INTEGER_SETTINGS: Array<{ env: string; min: number; max: number; fallback: number }> = [
  { env: 'ISOBAR_REGISTRY_PORT', min: 0, max: 65_535, fallback: 8081 },
  {
    env: 'SCHEMA_REGISTRY_MAX_SCHEMA_BYTES',
    min: 1024,
    max: 64 * 1024 * 1024,
    fallback: DEFAULT_SCHEMA_LIMITS.maxSchemaBytes,
  },
  { env: 'SCHEMA_REGISTRY_MAX_SCHEMA_DEPTH', min: 4, max: 1000, fallback: DEFAULT_SCHEMA_LIMITS.maxDepth },
  { env: 'SCHEMA_REGISTRY_MAX_SCHEMA_BRANCHES', min: 1, max: 100_000, fallback: DEFAULT_SCHEMA_LIMITS.maxBranches },
  { env: 'SCHEMA_REGISTRY_MAX_SCHEMA_REFS', min: 0, max: 1_000_000, fallback: DEFAULT_SCHEMA_LIMITS.maxRefs },
  {
    env: 'SCHEMA_REGISTRY_MAX_COMPATIBILITY_WORK',
    min: 1000,
    max: 1_000_000_000,
    fallback: DEFAULT_SCHEMA_LIMITS.maxWork,
  },
  { env: 'SCHEMA_REGISTRY_COMPATIBILITY_WORKERS', min: 1, max: 64, fallback: 1 },
  { env: 'SCHEMA_REGISTRY_COMPATIBILITY_QUEUE', min: 0, max: 10_000, fallback: 16 },
]

export class RegistryConfigError extends IsobarError {
  constructor(problems: string[]) {
    super('ISOBAR_REGISTRY_CONFIG_INVALID', `Invalid registry configuration: ${problems.join('; ')}`, {
      retriable: false,
    })
  }
}

export function registryConfigFromEnv(env: Env): RegistryProcessConfig {
  const problems: string[] = []
  const n: Record<string, number> = {}
  for (const setting of INTEGER_SETTINGS) {
    const raw = env[setting.env]
    if (raw === undefined || raw === '') {
      n[setting.env] = setting.fallback
      continue
    }
    const value = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN
    if (!Number.isInteger(value) || value < setting.min || value > setting.max) {
      problems.push(`${setting.env} must be an integer from ${setting.min} to ${setting.max}`)
    }
    n[setting.env] = value
  }
  if (env.SCHEMA_REGISTRY_BASIC_AUTH_USERS && env.SCHEMA_REGISTRY_BASIC_AUTH_USERS_FILE) {
    problems.push('set SCHEMA_REGISTRY_BASIC_AUTH_USERS or SCHEMA_REGISTRY_BASIC_AUTH_USERS_FILE, not both')
  }
  const store = env.ISOBAR_REGISTRY_STORE || 'kafka'
  if (store !== 'kafka' && store !== 'memory') problems.push('ISOBAR_REGISTRY_STORE must be kafka or memory')
  if (problems.length > 0) throw new RegistryConfigError(problems)
  const value = (name: string): number => n[name]!
  return {
    store: store === 'memory' ? 'memory' : 'kafka',
    port: value('ISOBAR_REGISTRY_PORT'),
    host: env.ISOBAR_REGISTRY_HOST || '0.0.0.0',
    ...(env.ISOBAR_REGISTRY_URL ? { instanceUrl: env.ISOBAR_REGISTRY_URL } : {}),
    logLevel: env.LOG_LEVEL || 'info',
    limits: {
      maxSchemaBytes: value('SCHEMA_REGISTRY_MAX_SCHEMA_BYTES'),
      maxDepth: value('SCHEMA_REGISTRY_MAX_SCHEMA_DEPTH'),
      maxBranches: value('SCHEMA_REGISTRY_MAX_SCHEMA_BRANCHES'),
      maxRefs: value('SCHEMA_REGISTRY_MAX_SCHEMA_REFS'),
      maxWork: value('SCHEMA_REGISTRY_MAX_COMPATIBILITY_WORK'),
    },
    compatibilityWorkers: value('SCHEMA_REGISTRY_COMPATIBILITY_WORKERS'),
    compatibilityQueue: value('SCHEMA_REGISTRY_COMPATIBILITY_QUEUE'),
    ...(env.SCHEMA_REGISTRY_BASIC_AUTH_USERS ? { basicAuthUsers: env.SCHEMA_REGISTRY_BASIC_AUTH_USERS } : {}),
    ...(env.SCHEMA_REGISTRY_BASIC_AUTH_USERS_FILE
      ? { basicAuthUsersFile: env.SCHEMA_REGISTRY_BASIC_AUTH_USERS_FILE }
      : {}),
  }
}
