import {
  DeadLetterRouter,
  JsonSerde,
  RegistryRequestError,
  SchemaRegistryClient,
  createMetricsRegistry,
  deadLetterHeader,
  type ConsumedRecord,
} from '@isobar/core'
import type { Figures, Lesson, LessonContext } from '../lesson.ts'
import { readTopic } from '../read-topic.ts'

/** Closed content model (no properties beyond those listed), the way Isobar's own message schemas are written. */
const V1 = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Reading',
  type: 'object',
  properties: { sensorId: { type: 'string' }, temperature: { type: 'number' } },
  required: ['sensorId', 'temperature'],
  additionalProperties: false,
}
/** v2: a new optional field. New readers accept old records, which lack it. */
const V2 = { ...V1, properties: { ...V1.properties, humidity: { type: 'number' } } }
/** v3: temperature becomes a string — no reader of either version can take both. */
const V3 = { ...V2, properties: { ...V2.properties, temperature: { type: 'string' } } }

const LEVELS = ['BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE', 'NONE']

interface Reading {
  sensorId: string
  temperature: number
  humidity?: number
}

async function compatibilityMatrix(
  ctx: LessonContext,
  registry: SchemaRegistryClient,
  subject: string,
): Promise<Record<string, { v2: boolean; v3: boolean }>> {
  const matrix: Record<string, { v2: boolean; v3: boolean }> = {}
  for (const level of LEVELS) {
    await registry.setConfig(subject, level)
    const v2 = (await registry.checkCompatibility(subject, { schema: V2 })).isCompatible
    const v3 = (await registry.checkCompatibility(subject, { schema: V3 })).isCompatible
    matrix[level] = { v2, v3 }
  }
  const rows = LEVELS.map(
    (level) =>
      `   ${level.padEnd(20)} v2 ${matrix[level]!.v2 ? 'accepted' : 'REFUSED '}   v3 ${matrix[level]!.v3 ? 'accepted' : 'REFUSED'}`,
  )
  ctx.step(
    ['Would the registry take each candidate as the next version, under each compatibility level?', ...rows].join('\n'),
  )
  return matrix
}

export const schemas: Lesson = {
  id: 'schemas',
  title: 'Schemas and their evolution',
  summary:
    'Register v1, evolve compatibly to v2, see an incompatible v3 refused under each compatibility level; old and ' +
    'new consumers read the same topic; a record that violates its schema lands in the DLQ with the reason.',
  usesRegistry: true,
  async run(ctx) {
    const topic = await ctx.createTopic('readings', { partitions: 1 })
    const dlq = await ctx.createTopic('dlq', { partitions: 1 })
    const subject = `${topic}-value`
    const registry = new SchemaRegistryClient({ url: ctx.registryUrl })
    const figures: Figures = {}
    try {
      const serde = new JsonSerde({ registry })
      const v1 = await serde.prepare(subject, V1)
      ctx.step(`Registered v1 of ${subject} (sensorId, temperature; no other properties): schema id ${v1.schemaId}.`)
      const producer = ctx.kafka.producer()
      const metrics = createMetricsRegistry('learn', { runtimeMetrics: false })
      const router = new DeadLetterRouter({ producer, metrics, deadLetterTopic: () => dlq })
      try {
        const oldRecords: Reading[] = [1, 2, 3, 4, 5].map((n) => ({ sensorId: `s-${n}`, temperature: 20 + n }))
        await producer.send(oldRecords.map((value) => ({ topic, value: serde.serialize(subject, value) })))

        const matrix = await compatibilityMatrix(ctx, registry, subject)
        figures.compatibility = matrix
        await registry.setConfig(subject, 'BACKWARD')
        const v2 = await serde.prepare(subject, V2)
        ctx.step(`Under BACKWARD, v2 (adds optional humidity) was registered: schema id ${v2.schemaId}.`)
        let refusal = ''
        try {
          await registry.register(subject, { schema: V3 })
        } catch (error) {
          if (!(error instanceof RegistryRequestError)) throw error
          refusal = `HTTP ${error.status}: ${error.message.split(', details')[0] ?? ''}`
        }
        ctx.step(
          `Registering v3 (temperature as a string) under BACKWARD: ${refusal ? `refused — ${refusal}` : 'accepted'}.`,
        )
        figures.v3Refused = refusal !== ''
        figures.v3Refusal = refusal

        const newRecords: Reading[] = [6, 7, 8, 9, 10].map((n) => ({
          sensorId: `s-${n}`,
          temperature: 20 + n,
          humidity: 40 + n,
        }))
        await producer.send(newRecords.map((value) => ({ topic, value: serde.serialize(subject, value) })))
        ctx.step('Wrote 5 records with v1, then 5 with v2, to the same topic.')

        // Each record names its writer schema by id; a reader fetches that schema and validates against it.
        const written = await readTopic(ctx, topic)
        const oldView: Array<Pick<Reading, 'sensorId' | 'temperature'>> = []
        const newView: Array<Required<Pick<Reading, 'sensorId' | 'temperature'>> & { humidity: number | null }> = []
        const ids = new Set<number>()
        for (const record of written) {
          const { schemaId, value } = await new JsonSerde({ registry }).deserialize<Reading>(record.value)
          ids.add(schemaId)
          oldView.push({ sensorId: value.sensorId, temperature: value.temperature })
          newView.push({ sensorId: value.sensorId, temperature: value.temperature, humidity: value.humidity ?? null })
        }
        const withHumidity = newView.filter((r) => r.humidity !== null).length
        ctx.step(
          `An old consumer (knows sensorId and temperature) read ${oldView.length} of 10; a new one read ` +
            `${newView.length} of 10, ${withHumidity} with humidity and ${newView.length - withHumidity} without ` +
            `(default null). Writer schema ids seen: ${[...ids].join(', ')}.`,
        )
        figures.oldConsumerRead = oldView.length
        figures.newConsumerRead = newView.length
        figures.newConsumerWithHumidity = withHumidity
        figures.writerSchemaIds = [...ids]

        // Producer side: a value that breaks v2 is refused before it is sent and lands in the DLQ with the reason.
        const refused = await router.encode(serde, { topic, value: { sensorId: 's-11', temperature: 'hot' } })
        // Consumer side: bytes without the registry framing (a foreign producer) cannot be decoded.
        const foreign: ConsumedRecord = {
          topic,
          partition: 0,
          offset: 10n,
          timestamp: Date.now(),
          key: null,
          value: Buffer.from('{"sensorId":"s-12","temperature":21}'),
          headers: {},
        }
        const decoded = await router.decode(serde, foreign)
        const deadLetters = await readTopic(ctx, dlq)
        const reasons = deadLetters.map((r) => ({
          stage: deadLetterHeader(r.headers, 'stage') ?? '',
          code: deadLetterHeader(r.headers, 'errorCode') ?? '',
          message: deadLetterHeader(r.headers, 'errorMessage') ?? '',
        }))
        for (const reason of reasons) ctx.step(`DLQ (${reason.stage}): ${reason.code} — ${reason.message}`)
        figures.producerRefused = refused === undefined
        figures.consumerRefused = !decoded.ok
        figures.deadLetters = reasons
      } finally {
        await producer.close()
      }
    } finally {
      await registry.deleteSubject(subject).catch(() => undefined)
      await registry.deleteSubject(subject, { permanent: true }).catch(() => undefined)
    }
    return figures
  },
}
