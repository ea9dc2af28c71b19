/**
 * Re-publishing dead letters to the topic they came from: the one implementation behind `isobar dlq replay` and the
 * Admin API's DLQ re-publish. A replayed record keeps its key and original headers; the isobar.dlq.* headers go and
 * `isobar.dlq.replayed.from` (`<dlq-topic>/<partition>/<offset>`) is added. A dead letter that does not carry its
 * whole original value (truncated to fit the DLQ) is refused unless a fixed value is given.
 */
import type { ConsumedRecord, Headers, Producer, ProducerRecord } from '../kafka/types.ts'
import { DLQ_HEADERS } from './dead-letter.ts'

/** Header a replayed record carries: the dead letter it came from, `<dlq-topic>/<partition>/<offset>`. */
export const REPLAYED_FROM_HEADER = 'isobar.dlq.replayed.from'

function dlqHeader(record: ConsumedRecord, name: keyof typeof DLQ_HEADERS): string | null {
  return record.headers[DLQ_HEADERS[name]]?.toString('utf8') ?? null
}

/** 'value' (cut to fit) or 'reference' (no value) when the dead letter lacks its whole original; else null. */
export function deadLetterTruncation(record: ConsumedRecord): string | null {
  return dlqHeader(record, 'truncated')
}

/** The topic the record was dead-lettered from (isobar.dlq.original.topic), or null. */
export function deadLetterSourceTopic(record: ConsumedRecord): string | null {
  return dlqHeader(record, 'originalTopic')
}

export function deadLetterCode(record: ConsumedRecord): string | null {
  return dlqHeader(record, 'errorCode')
}

export interface ReplayPlan {
  source: ConsumedRecord
  /** What would be sent, headers included; undefined when the dead letter cannot be replayed. */
  record: ProducerRecord | undefined
  fixed: boolean
  /** Why it cannot be replayed ("skipped: …"), or undefined. */
  problem: string | undefined
}

export interface ReplayOptions {
  /** Send here instead of the source topic. */
  to?: string | undefined
  /** The value to send instead of the dead letter's (required when it was truncated). */
  fixedValue?: Buffer | undefined
  /** How the caller gives a fixed value or a target (e.g. "give it in --fixed"), for the problem sentences. */
  hints?: { fixed?: string; to?: string }
}

/** What replaying one dead letter of `dlqTopic` would send, or why it cannot be. */
export function planReplay(dlqTopic: string, source: ConsumedRecord, options: ReplayOptions = {}): ReplayPlan {
  const topic = options.to ?? deadLetterSourceTopic(source)
  const truncated = deadLetterTruncation(source)
  const fixed = options.fixedValue !== undefined
  if (!topic) {
    const hint = options.hints?.to ?? 'give a target topic'
    return { source, record: undefined, fixed, problem: `skipped: no source topic header; ${hint}` }
  }
  if (truncated && !fixed) {
    const hint = options.hints?.fixed ?? 'give a fixed value'
    return { source, record: undefined, fixed, problem: `skipped: value truncated (${truncated}); ${hint}` }
  }
  const headers: Headers = Object.fromEntries(
    Object.entries(source.headers).filter(([name]) => !name.startsWith('isobar.dlq.')),
  )
  headers[REPLAYED_FROM_HEADER] = Buffer.from(`${dlqTopic}/${source.partition}/${source.offset}`)
  const record: ProducerRecord = {
    topic,
    key: source.key,
    value: fixed ? (options.fixedValue ?? null) : source.value,
    headers,
  }
  return { source, record, fixed, problem: undefined }
}

export interface ReplayOutcome {
  plan: ReplayPlan
  /** 'sent', 'would send' (dry run), 'skipped: …' or 'failed: …'. */
  outcome: string
  /** Where it landed, when sent. */
  partition: number | null
  offset: bigint | null
}

/** Sends the plans one by one, in order (none with `dryRun`); a failure is reported and the rest still go. */
export async function replayDeadLetters(
  producer: Producer | undefined,
  plans: ReplayPlan[],
  options: { dryRun?: boolean } = {},
): Promise<ReplayOutcome[]> {
  const outcomes: ReplayOutcome[] = []
  for (const plan of plans) {
    if (plan.problem || !plan.record) {
      outcomes.push({ plan, outcome: plan.problem ?? 'skipped', partition: null, offset: null })
    } else if (options.dryRun || !producer) {
      outcomes.push({ plan, outcome: 'would send', partition: null, offset: null })
    } else {
      try {
        const [report] = await producer.send([plan.record])
        outcomes.push({
          plan,
          outcome: 'sent',
          partition: report?.partition ?? null,
          offset: report?.baseOffset ?? null,
        })
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        outcomes.push({ plan, outcome: `failed: ${reason}`, partition: null, offset: null })
      }
    }
  }
  return outcomes
}
