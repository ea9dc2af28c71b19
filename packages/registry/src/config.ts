/**
 * The registry process's settings from the environment, checked once in main.ts: listen address, schema and
 * compatibility-check limits, the compatibility worker pool, and optional HTTP basic auth users. Numbers must
 * be plain decimal integers (no coercion of anything else); every problem is reported at once (loadConfig).
 */
import { configProblem, LOG_LEVEL_VAR, loadConfig, type Env, type EnvSchema } from '@isobar/core'
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

/** Every variable the registry process reads besides the Kafka ones (docs/configuration.md is generated from it). */
export const REGISTRY_ENV = {
  name: 'registry',
  title: 'Schema Registry (`packages/registry/src/main.ts`)',
  vars: {
    ISOBAR_REGISTRY_PORT: {
      type: 'integer',
      min: 0,
      max: 65_535,
      default: 8081,
      description: 'HTTP port (0: any free one)',
    },
    ISOBAR_REGISTRY_HOST: { type: 'string', default: '0.0.0.0', description: 'address to listen on' },
    ISOBAR_REGISTRY_STORE: {
      type: 'enum',
      values: ['kafka', 'memory'],
      default: 'kafka',
      description: 'where schemas live: the `_schemas` topic, or memory only (a throwaway registry without Kafka)',
    },
    ISOBAR_REGISTRY_ADVERTISED_URL: {
      type: 'url',
      description:
        "this instance's own URL as the other instances reach it (leader forwarding); default: derived from host and port",
    },
    LOG_LEVEL: LOG_LEVEL_VAR,
    SCHEMA_REGISTRY_MAX_SCHEMA_BYTES: {
      type: 'integer',
      min: 1024,
      max: 64 * 1024 * 1024,
      default: DEFAULT_SCHEMA_LIMITS.maxSchemaBytes,
      description: 'largest schema accepted, in bytes',
    },
    SCHEMA_REGISTRY_MAX_SCHEMA_DEPTH: {
      type: 'integer',
      min: 4,
      max: 1000,
      default: DEFAULT_SCHEMA_LIMITS.maxDepth,
      description: 'deepest nesting of a schema',
    },
    SCHEMA_REGISTRY_MAX_SCHEMA_BRANCHES: {
      type: 'integer',
      min: 1,
      max: 100_000,
      default: DEFAULT_SCHEMA_LIMITS.maxBranches,
      description: 'most subschemas in one schema',
    },
    SCHEMA_REGISTRY_MAX_SCHEMA_REFS: {
      type: 'integer',
      min: 0,
      max: 1_000_000,
      default: DEFAULT_SCHEMA_LIMITS.maxRefs,
      description: 'most `$ref`s in one schema',
    },
    SCHEMA_REGISTRY_MAX_COMPATIBILITY_WORK: {
      type: 'integer',
      min: 1000,
      max: 1_000_000_000,
      default: DEFAULT_SCHEMA_LIMITS.maxWork,
      description: 'work budget of one compatibility check (steps)',
    },
    SCHEMA_REGISTRY_COMPATIBILITY_WORKERS: {
      type: 'integer',
      min: 1,
      max: 64,
      default: 1,
      description: 'worker threads for compatibility checks',
    },
    SCHEMA_REGISTRY_COMPATIBILITY_QUEUE: {
      type: 'integer',
      min: 0,
      max: 10_000,
      default: 16,
      description: 'checks waiting for a worker before 429',
    },
    SCHEMA_REGISTRY_BASIC_AUTH_USERS: {
      type: 'string',
      secret: true,
      description: 'HTTP basic auth users, `user:password:role` comma-separated (unset: no auth)',
    },
    SCHEMA_REGISTRY_BASIC_AUTH_USERS_FILE: {
      type: 'string',
      description: 'file of basic auth users, one `user:password:role` a line',
    },
  },
  ownedPrefixes: ['ISOBAR_REGISTRY_'],
  renamed: { ISOBAR_REGISTRY_URL: 'ISOBAR_REGISTRY_ADVERTISED_URL' },
} as const satisfies EnvSchema

export function registryConfigFromEnv(env: Env): RegistryProcessConfig {
  const c = loadConfig(REGISTRY_ENV, env)
  if (c.SCHEMA_REGISTRY_BASIC_AUTH_USERS !== undefined && c.SCHEMA_REGISTRY_BASIC_AUTH_USERS_FILE !== undefined) {
    configProblem(
      REGISTRY_ENV,
      'set SCHEMA_REGISTRY_BASIC_AUTH_USERS or SCHEMA_REGISTRY_BASIC_AUTH_USERS_FILE, not both',
    )
  }
  return {
    store: c.ISOBAR_REGISTRY_STORE,
    port: c.ISOBAR_REGISTRY_PORT,
    host: c.ISOBAR_REGISTRY_HOST,
    ...(c.ISOBAR_REGISTRY_ADVERTISED_URL === undefined ? {} : { instanceUrl: c.ISOBAR_REGISTRY_ADVERTISED_URL }),
    logLevel: c.LOG_LEVEL,
    limits: {
      maxSchemaBytes: c.SCHEMA_REGISTRY_MAX_SCHEMA_BYTES,
      maxDepth: c.SCHEMA_REGISTRY_MAX_SCHEMA_DEPTH,
      maxBranches: c.SCHEMA_REGISTRY_MAX_SCHEMA_BRANCHES,
      maxRefs: c.SCHEMA_REGISTRY_MAX_SCHEMA_REFS,
      maxWork: c.SCHEMA_REGISTRY_MAX_COMPATIBILITY_WORK,
    },
    compatibilityWorkers: c.SCHEMA_REGISTRY_COMPATIBILITY_WORKERS,
    compatibilityQueue: c.SCHEMA_REGISTRY_COMPATIBILITY_QUEUE,
    ...(c.SCHEMA_REGISTRY_BASIC_AUTH_USERS === undefined ? {} : { basicAuthUsers: c.SCHEMA_REGISTRY_BASIC_AUTH_USERS }),
    ...(c.SCHEMA_REGISTRY_BASIC_AUTH_USERS_FILE === undefined
      ? {}
      : { basicAuthUsersFile: c.SCHEMA_REGISTRY_BASIC_AUTH_USERS_FILE }),
  }
}
