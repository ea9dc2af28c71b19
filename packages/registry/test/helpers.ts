import type { FastifyInstance } from 'fastify'
import { buildRegistryApp, type RegistryAppDeps } from '../src/app.ts'
import { CheckPool } from '../src/compatibility/check-pool.ts'
import { Registry, type RegistryOptions } from '../src/registry/registry.ts'
import { MemorySchemaLog } from '../src/store/schema-log.ts'

export const V1 = 'application/vnd.schemaregistry.v1+json'

// Response bodies are arbitrary JSON that the tests pick apart.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any

export interface TestInstance {
  app: FastifyInstance
  registry: Registry
  log: MemorySchemaLog
  call: (method: string, url: string, body?: unknown) => Promise<{ status: number; body: Json; type: string }>
}

/**
 * The worker pool that test instances share unless given their own `checker`: checks still run in a worker thread
 * as in production, but the worker (which loads the checker's modules, ~1 s on a loaded machine) starts once per
 * test process instead of once per instance. Idle, it does not keep the process alive. A test that asserts the
 * pool's own state (running checks, counters, a full queue) passes its own `new CheckPool(…)`.
 */
let sharedPool: CheckPool | undefined

/** A registry app over an in-memory log (pass `log` to make several instances share one cluster). */
export async function instance(
  options: { log?: MemorySchemaLog } & Partial<RegistryAppDeps> = {},
  registryOptions: RegistryOptions = {},
): Promise<TestInstance> {
  const log = options.log ?? new MemorySchemaLog()
  const checker = registryOptions.checker ?? (sharedPool ??= new CheckPool())
  const registry = new Registry(log, { timeoutMs: 2000, ...registryOptions, checker })
  await registry.start()
  const app = buildRegistryApp({ registry, ...options })
  await app.ready()
  const call = async (method: string, url: string, body?: unknown) => {
    const response = await app.inject({
      method: method as 'GET',
      url,
      ...(body === undefined ? {} : { payload: JSON.stringify(body), headers: { 'content-type': V1 } }),
    })
    let parsed: unknown
    try {
      parsed = JSON.parse(response.body)
    } catch {
      parsed = response.body
    }
    return { status: response.statusCode, body: parsed as Json, type: String(response.headers['content-type'] ?? '') }
  }
  return { app, registry, log, call }
}

export const jsonSchema = (schema: unknown, extra: Record<string, unknown> = {}) => ({
  schemaType: 'JSON',
  schema: JSON.stringify(schema),
  ...extra,
})
