/**
 * Re-publishing selected dead letters to their source topic (the isobar.dlq.original.topic header) or another
 * topic, through the same core logic as `isobar dlq replay`. A request whose dead letters cannot all be replayed
 * (truncated without a fixed value, no source topic, no record at that offset, a target that does not exist) is
 * refused whole, naming each; a dry run shows the same plan and sends nothing.
 */
import { planReplay, replayDeadLetters, type ConsumedRecord, type ReplayPlan } from '@isobar/core'
import type { FastifyInstance } from 'fastify'
import { InvalidRequestError } from '../errors.ts'
import type { RouteContext } from './context.ts'
import { dlqReplayResponse } from './ops-response-schemas.ts'
import { errorResponses, numOrNull, secured, topicName, topicParams } from './schemas.ts'

interface Selected {
  partition: number
  offset: number
  fixedValue?: unknown
  fixedValueBase64?: string
}

interface ReplayBody {
  records: Selected[]
  to?: string
  dryRun?: boolean
}

const MAX_RECORDS = 500
const HINTS = { fixed: 'give its fixedValue', to: 'give "to"' }

function fixedValueOf(selected: Selected): Buffer | undefined {
  if (selected.fixedValueBase64 !== undefined) return Buffer.from(selected.fixedValueBase64, 'base64')
  if ('fixedValue' in selected) return Buffer.from(JSON.stringify(selected.fixedValue))
  return undefined
}

async function readOne(ctx: RouteContext, topic: string, selected: Selected): Promise<ConsumedRecord | undefined> {
  const read = await ctx.admin.readRecords({
    topic,
    partition: selected.partition,
    from: { offset: BigInt(selected.offset) },
    limit: 1,
  })
  const [record] = read.records
  return record && record.offset === BigInt(selected.offset) ? record : undefined
}

/** One selected dead letter: its plan, or why there is none (no record at that offset). */
interface Entry {
  selected: Selected
  plan: ReplayPlan | undefined
  problem: string | undefined
}

export function dlqRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Params: { topic: string }; Body: ReplayBody }>(
    '/api/topics/:topic/dlq/replay',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['messages'],
        summary:
          'Re-publish selected dead letters to their source topic (isobar.dlq.* headers removed, isobar.dlq.replayed.from added); refused whole (400, naming each) when one cannot be; dryRun shows the plan',
        security: secured,
        params: topicParams,
        body: {
          type: 'object',
          required: ['records'],
          additionalProperties: false,
          properties: {
            records: {
              type: 'array',
              minItems: 1,
              maxItems: MAX_RECORDS,
              items: {
                type: 'object',
                required: ['partition', 'offset'],
                additionalProperties: false,
                properties: {
                  partition: { type: 'integer', minimum: 0, maximum: 100_000 },
                  offset: { type: 'integer', minimum: 0 },
                  fixedValue: { description: 'any JSON: sent (as JSON text) instead of the dead letter’s value' },
                  fixedValueBase64: { type: 'string', maxLength: 1_400_000, pattern: '^[A-Za-z0-9+/]*={0,2}$' },
                },
                not: { required: ['fixedValue', 'fixedValueBase64'] },
              },
            },
            to: { ...topicName, description: 'send here instead of each record’s source topic' },
            dryRun: { type: 'boolean', default: false },
          },
        },
        response: { 200: dlqReplayResponse, ...errorResponses(400, 404, 413, 414, 415, 502, 503, 504) },
      },
    },
    async (request) => {
      const { topic } = request.params
      const { records, to, dryRun = false } = request.body
      const [description] = await ctx.admin.describeTopics([topic])
      const partitions = description?.partitions.length ?? 0
      const seen = new Set<string>()
      for (const r of records) {
        const key = `${r.partition}@${r.offset}`
        if (seen.has(key)) throw new InvalidRequestError(`body/records lists ${key} twice`, 'records')
        seen.add(key)
        if (r.partition >= partitions) {
          throw new InvalidRequestError(`body/records: ${topic} has no partition ${r.partition}`, 'records')
        }
      }
      if (to !== undefined) await ctx.admin.describeTopics([to])

      const entries: Entry[] = []
      for (const selected of records) {
        const source = await readOne(ctx, topic, selected)
        const plan = source && planReplay(topic, source, { to, fixedValue: fixedValueOf(selected), hints: HINTS })
        const problem = source
          ? plan?.problem
          : `skipped: no record at offset ${selected.offset} (deleted or compacted)`
        entries.push({ selected, plan, problem })
      }
      // Never let a produce auto-create a topic named by a header: every target must exist.
      const existing = new Set(await ctx.admin.listTopics({ includeInternal: true }))
      for (const entry of entries) {
        const target = entry.plan?.record?.topic
        if (target !== undefined && !existing.has(target)) {
          entry.problem = `skipped: the target topic ${target} does not exist`
        }
      }
      const refused = entries.filter((e) => e.problem)
      if (!dryRun && refused.length > 0) {
        const reasons = refused.map(
          (e) => `${e.selected.partition}@${e.selected.offset} ${(e.problem ?? '').replace(/^skipped: /, '')}`,
        )
        throw new InvalidRequestError(`Nothing re-published: ${reasons.join('; ')}`, 'records')
      }
      const playable = entries.flatMap((e) => (e.plan && !e.problem ? [e.plan] : []))
      const outcomes = await replayDeadLetters(dryRun ? undefined : ctx.producer(), playable, { dryRun })
      const results = entries.map((e) => {
        const done = outcomes.find((o) => o.plan === e.plan)
        return {
          partition: e.selected.partition,
          offset: e.selected.offset,
          to: e.plan?.record?.topic ?? null,
          fixed: e.plan?.fixed ?? false,
          outcome: e.problem ?? done?.outcome ?? 'skipped',
          replayedPartition: done?.partition ?? null,
          replayedOffset: numOrNull(done?.offset ?? null),
        }
      })
      const outcomesSent = outcomes.filter((o) => o.outcome === 'sent').length
      return { topic, dryRun, sent: outcomesSent, results }
    },
  )
}
