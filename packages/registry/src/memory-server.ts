/**
 * `startMemoryRegistry(options)`: the registry's REST API over an in-memory schema log — no Kafka, no election,
 * nothing kept after it stops. For benchmarks that need a registry of their own (main.ts with
 * ISOBAR_REGISTRY_STORE=memory).
 */
import type { Logger } from '@isobar/core'
import { buildRegistryApp } from './app.ts'
import type { SchemaLimits } from './compatibility/limits.ts'
import type { BasicAuthOptions } from './http/auth.ts'
import { Registry } from './registry/registry.ts'
import { MemorySchemaLog } from './store/schema-log.ts'

export interface StartMemoryRegistryOptions {
  port: number
  host: string
  logger?: Logger
  limits?: Partial<SchemaLimits>
  basicAuth?: BasicAuthOptions
}

export async function startMemoryRegistry(
  options: StartMemoryRegistryOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const registry = new Registry(new MemorySchemaLog(), {
    timeoutMs: 5000,
    ...(options.limits ? { limits: options.limits } : {}),
  })
  await registry.start()
  const app = buildRegistryApp({
    registry,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.basicAuth ? { basicAuth: options.basicAuth } : {}),
  })
  const url = await app.listen({ port: options.port, host: options.host })
  return { url, close: () => app.close() }
}
