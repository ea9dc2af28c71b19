/**
 * The console process's settings from the environment (besides the Kafka ones), checked once in main.ts.
 * docs/configuration.md is generated from CONSOLE_ENV.
 */
import { configProblem, LOG_LEVEL_VAR, loadConfig, type Env, type EnvSchema } from '@isobar/core'
import { DEFAULT_CONSOLE_PORT } from './server.ts'

export const CONSOLE_ENV = {
  name: 'console',
  title: 'Console and Admin API (`packages/admin-api/src/main.ts`)',
  vars: {
    ISOBAR_CONSOLE_PORT: {
      type: 'integer',
      min: 0,
      max: 65_535,
      default: DEFAULT_CONSOLE_PORT,
      description: 'HTTP port (0: any free one)',
    },
    ISOBAR_CONSOLE_HOST: { type: 'string', default: '127.0.0.1', description: 'address to listen on' },
    ISOBAR_CONSOLE_TOKEN: {
      type: 'string',
      secret: true,
      description: 'admin token of the Admin API (all routes); unset: one is generated and printed on stderr',
    },
    ISOBAR_CONSOLE_READ_TOKEN: {
      type: 'string',
      secret: true,
      description: 'optional read-only token (GET routes only); must differ from the admin token',
    },
    SCHEMA_REGISTRY_URL: {
      type: 'url',
      secret: true,
      description: 'the Schema Registry to decode messages and show schemas through; unset: no decoding',
    },
    LOG_LEVEL: LOG_LEVEL_VAR,
  },
  ownedPrefixes: ['ISOBAR_CONSOLE_'],
} as const satisfies EnvSchema

export interface ConsoleProcessConfig {
  port: number
  host: string
  token?: string
  readToken?: string
  registryUrl?: string
  logLevel: string
}

export function consoleConfigFromEnv(env: Env): ConsoleProcessConfig {
  const c = loadConfig(CONSOLE_ENV, env)
  if (c.ISOBAR_CONSOLE_READ_TOKEN !== undefined && c.ISOBAR_CONSOLE_READ_TOKEN === c.ISOBAR_CONSOLE_TOKEN) {
    configProblem(CONSOLE_ENV, 'ISOBAR_CONSOLE_READ_TOKEN must differ from ISOBAR_CONSOLE_TOKEN')
  }
  return {
    port: c.ISOBAR_CONSOLE_PORT,
    host: c.ISOBAR_CONSOLE_HOST,
    logLevel: c.LOG_LEVEL,
    ...(c.ISOBAR_CONSOLE_TOKEN === undefined ? {} : { token: c.ISOBAR_CONSOLE_TOKEN }),
    ...(c.ISOBAR_CONSOLE_READ_TOKEN === undefined ? {} : { readToken: c.ISOBAR_CONSOLE_READ_TOKEN }),
    ...(c.SCHEMA_REGISTRY_URL === undefined ? {} : { registryUrl: c.SCHEMA_REGISTRY_URL }),
  }
}
