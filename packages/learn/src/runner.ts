import { randomUUID } from 'node:crypto'
import { CoreErrorCodes, isIsobarError, type KafkaClient, type NewTopic } from '@isobar/core'
import { LessonFailedError } from './errors.ts'
import type { BrokerControl, Lesson, LessonContext, LessonResult } from './lesson.ts'
import { ensureRegistry } from './registry.ts'

const DEFAULT_REGISTRY_URL = 'http://127.0.0.1:8081'

export interface RunLessonOptions {
  kafka: KafkaClient
  /** Default http://127.0.0.1:8081. */
  registryUrl?: string
  /** Called with each narrated step as it happens (the CLI prints it). */
  onStep?: (text: string) => void
  /** Replication factor of the lesson's topics unless a lesson says otherwise. Default 1. */
  replicationFactor?: number
  /** Broker id → log directory of a local cluster (lessons show the files of the log there). */
  logDirs?: Record<number, string>
  /** Control over a local cluster's brokers (the acks lesson kills one). */
  brokers?: BrokerControl
}

/**
 * Runs one lesson: gives it a context whose topics and groups carry a run id (`learn-<lesson>-<label>-<run>`), and
 * deletes them afterwards whether the lesson succeeded or not.
 */
export async function runLesson(lesson: Lesson, options: RunLessonOptions): Promise<LessonResult> {
  const run = randomUUID().slice(0, 8)
  const steps: string[] = []
  const topics: string[] = []
  const groups: string[] = []
  const registry = lesson.usesRegistry ? await ensureRegistry(options.registryUrl ?? DEFAULT_REGISTRY_URL) : undefined
  if (registry?.startedHere) options.onStep?.(`(no Schema Registry answered; started Isobar's at ${registry.url})`)
  const admin = options.kafka.admin()
  const ctx: LessonContext = {
    kafka: options.kafka,
    admin,
    registryUrl: registry?.url ?? options.registryUrl ?? DEFAULT_REGISTRY_URL,
    logDirs: options.logDirs ?? {},
    brokers: options.brokers,
    step(text) {
      steps.push(text)
      options.onStep?.(text)
    },
    async createTopic(label: string, spec: Omit<NewTopic, 'name'> = {}) {
      const name = `learn-${lesson.id}-${label}-${run}`
      await admin.createTopics([{ replicationFactor: options.replicationFactor ?? 1, ...spec, name }])
      topics.push(name)
      return name
    },
    groupId(label: string) {
      const id = `learn-${lesson.id}-${label}-${run}`
      groups.push(id)
      return id
    },
    within: (what, ms, promise) => within(lesson.id, what, ms, promise),
  }
  const started = performance.now()
  try {
    const figures = await lesson.run(ctx)
    const durationMs = Math.round(performance.now() - started)
    return { id: lesson.id, title: lesson.title, steps, figures, durationMs, cleanedUp: { topics, groups } }
  } finally {
    await cleanUp(admin, topics, groups)
    await admin.close()
    await registry?.close()
  }
}

async function within<T>(lesson: string, what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new LessonFailedError(lesson, `${what} did not finish within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Groups first (a group on a deleted topic lingers), each retried while its members are still leaving. */
async function cleanUp(admin: LessonContext['admin'], topics: string[], groups: string[]): Promise<void> {
  for (const group of groups) {
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        await admin.deleteGroup(group)
        break
      } catch (error) {
        if (isIsobarError(error) && error.code === CoreErrorCodes.GROUP_NOT_FOUND) break
        if (!(isIsobarError(error) && error.code === CoreErrorCodes.GROUP_ACTIVE)) break
        await new Promise((resolve) => setTimeout(resolve, 500))
      }
    }
  }
  if (topics.length > 0) await admin.deleteTopics(topics).catch(() => undefined)
}
