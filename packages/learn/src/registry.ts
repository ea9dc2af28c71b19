import { fileURLToPath } from 'node:url'
import { startRegistryProcess } from '@isobar/bench'

/** A registry to use for one lesson, and how to let it go (a no-op when it was already running). */
export interface LessonRegistry {
  url: string
  startedHere: boolean
  close(): Promise<void>
}

/**
 * The Schema Registry at `url` when it answers; otherwise Isobar's registry started for the lesson as its own
 * process (services are imported by nothing) on an ephemeral port, with an in-memory store: the lesson's schemas
 * vanish with it and nothing is left in the cluster's `_schemas`.
 */
export async function ensureRegistry(url: string): Promise<LessonRegistry> {
  if (await answers(url)) return { url, startedHere: false, close: () => Promise.resolve() }
  const running = await startRegistryProcess(fileURLToPath(new URL('../../registry/src/main.ts', import.meta.url)))
  return { url: running.url, startedHere: true, close: () => running.close() }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url.replace(/\/+$/, '')}/subjects`, { signal: AbortSignal.timeout(2000) })
    await response.body?.cancel()
    return response.ok
  } catch {
    return false
  }
}
