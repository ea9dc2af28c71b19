import type { KafkaClient } from '@isobar/core'
import { startRegistry } from '@isobar/registry'

/** A registry to use for one lesson, and how to let it go (a no-op when it was already running). */
export interface LessonRegistry {
  url: string
  startedHere: boolean
  close(): Promise<void>
}

/**
 * The Schema Registry at `url` when it answers; otherwise Isobar's registry started in this process on an ephemeral
 * port, on the cluster's own `_schemas` topic (the state `npm start`'s registry would read too).
 */
export async function ensureRegistry(kafka: KafkaClient, url: string): Promise<LessonRegistry> {
  if (await answers(url)) return { url, startedHere: false, close: () => Promise.resolve() }
  const running = await startRegistry({ kafka, port: 0, host: '127.0.0.1', electionWaitMs: 30_000 })
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
