// @isobar/admin-api: the Kafka admin API (Fastify). main.ts is the process entry; these are for embedding and tests.
export { buildConsoleApp, type ConsoleAppDeps } from './app.ts'
export {
  DEFAULT_CONSOLE_PORT,
  generateToken,
  startConsole,
  type RunningConsole,
  type StartConsoleOptions,
} from './server.ts'
// The message decoders live in @isobar/core (the CLI shows records with the same rules); re-exported for embedders.
export { jsonMessageDecoder, type DecodeContext, type DecodedPayload, type MessageDecoder } from '@isobar/core'
export { ConsoleErrorCatalogue, ConsoleErrorCodes, httpStatusOf } from './errors.ts'
export { CONSOLE_ENV, consoleConfigFromEnv } from './config.ts'
export type { ReadinessChecks } from './http/health-routes.ts'
export { publicScope, type Access, type Role } from './http/access.ts'
