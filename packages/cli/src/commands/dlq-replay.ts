import { readFile } from 'node:fs/promises'
import { deadLetterCode, planReplay, replayDeadLetters } from '@isobar/core'
import { flag, intOption, listOption, requirePositional, stringOption } from '../args.ts'
import type { Command } from '../command.ts'
import { writeJson, writeLine } from '../context.ts'
import { UsageError } from '../errors.ts'
import { readDeadLetters } from './dlq-read.ts'

const NAME = 'dlq replay'

const HINTS = { fixed: 'give it in --fixed', to: 'use --to' }

export const dlqReplayCommand: Command = {
  name: 'replay',
  summary: 'Send dead letters (as they are, or fixed) back to their source topic',
  arguments: [{ name: 'dlq-topic', required: true }],
  options: {
    'filter-code': {
      type: 'string',
      multiple: true,
      value: 'C',
      description: 'only dead letters with this error code (repeatable), e.g. ISOBAR_SERDE_INVALID_JSON',
    },
    offsets: {
      type: 'string',
      multiple: true,
      value: 'P:O,...',
      description: 'only these dead letters (partition:offset in the DLQ topic; repeatable)',
    },
    to: { type: 'string', value: 'TOPIC', description: 'send to TOPIC instead of the source topic' },
    fixed: {
      type: 'string',
      value: 'FILE',
      description: `JSON lines {"partition":P,"offset":"O","value":<any JSON>} (or "valueBase64": "…"): the value to send instead of the dead letter's (JSON values are sent as JSON text)`,
    },
    'max-messages': {
      type: 'string',
      short: 'n',
      value: 'N',
      description: 'read at most N dead letters',
      default: '10000',
    },
    'dry-run': { type: 'boolean', description: 'show what would be sent, send nothing' },
    json: { type: 'boolean', description: 'one JSON object per dead letter: its position, target and outcome' },
  },
  notes: [
    'Sends the selected dead letters to the topic they came from (their isobar.dlq.original.topic header) or to',
    '--to, with their key and original headers (the isobar.dlq.* ones removed, isobar.dlq.replayed.from added).',
    'A dead letter whose value was truncated to fit the DLQ cannot be sent as is: give its fixed value in --fixed.',
    'Replaying twice sends twice.',
    '',
    'Exit code 0 when every selected dead letter was sent (or would be, with --dry-run), 1 otherwise.',
  ].join('\n'),
  async run(args, ctx) {
    const topic = requirePositional(args, NAME, 0, 'dead-letter topic')
    if (args.positionals.length > 1) throw new UsageError(`${NAME}: unexpected argument "${args.positionals[1]}"`)
    const codes = new Set(listOption(args, 'filter-code'))
    const positions = parsePositions(listOption(args, 'offsets'))
    const to = stringOption(args, 'to')
    if (to === '') throw new UsageError(`${NAME}: --to needs a topic name`)
    const fixedFile = stringOption(args, 'fixed')
    const fixed = fixedFile === undefined ? new Map<string, Buffer>() : await readFixed(fixedFile)
    const max = intOption(args, NAME, 'max-messages', 10_000)
    const dryRun = flag(args, 'dry-run')
    const json = flag(args, 'json')

    const client = await ctx.kafka()
    const selected = (await readDeadLetters(client, topic, { max, timeoutMs: 30_000 })).filter(
      (r) =>
        (codes.size === 0 || codes.has(deadLetterCode(r) ?? '')) &&
        (positions.size === 0 || positions.has(positionKey(r.partition, r.offset))),
    )
    const plans = selected.map((record) =>
      planReplay(topic, record, {
        to,
        fixedValue: fixed.get(positionKey(record.partition, record.offset)),
        hints: HINTS,
      }),
    )
    const producer = dryRun ? undefined : client.producer({ idempotent: true })
    let outcomes
    try {
      outcomes = await replayDeadLetters(producer, plans, { dryRun })
    } finally {
      await producer?.close()
    }
    const ok = (outcome: string): boolean => outcome === 'sent' || outcome === 'would send'
    for (const { plan: p, outcome } of outcomes) {
      if (json) {
        writeJson(ctx.stdout, {
          partition: p.source.partition,
          offset: p.source.offset.toString(),
          code: deadLetterCode(p.source),
          to: p.record?.topic ?? null,
          fixed: p.fixed,
          outcome,
        })
      } else {
        const where = `${topic}/${p.source.partition}@${p.source.offset}`
        writeLine(ok(outcome) ? ctx.stdout : ctx.stderr, `${where} → ${p.record?.topic ?? '?'}: ${outcome}`)
      }
    }
    const problems = outcomes.filter((o) => !ok(o.outcome)).length
    const sent = outcomes.filter((o) => o.outcome === 'sent').length
    if (!json) {
      const verb = dryRun ? 'would replay' : 'replayed'
      writeLine(
        ctx.stderr,
        `${verb} ${dryRun ? plans.length - problems : sent} of ${plans.length} selected dead letters`,
      )
    }
    return problems > 0 ? 1 : 0
  },
}

function positionKey(partition: number, offset: bigint | string): string {
  return `${partition}:${String(offset)}`
}

function parsePositions(items: string[]): Set<string> {
  const positions = new Set<string>()
  for (const item of items.flatMap((i) => i.split(','))) {
    const match = /^(\d+):(\d+)$/.exec(item.trim())
    if (!match) throw new UsageError(`${NAME}: --offsets expects partition:offset, got "${item}"`)
    positions.add(positionKey(Number(match[1]), BigInt(match[2]!)))
  }
  return positions
}

/** The --fixed file: one JSON object per line, keyed by the dead letter's position. */
async function readFixed(file: string): Promise<Map<string, Buffer>> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new UsageError(`${NAME}: cannot read --fixed ${file}: ${(error as Error).message}`)
  }
  const fixed = new Map<string, Buffer>()
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue
    const where = `${NAME}: --fixed ${file} line ${i + 1}`
    let entry: { partition?: unknown; offset?: unknown; value?: unknown; valueBase64?: unknown }
    try {
      entry = JSON.parse(line) as typeof entry
    } catch {
      throw new UsageError(`${where}: not JSON`)
    }
    if (typeof entry !== 'object' || entry === null) throw new UsageError(`${where}: expected an object`)
    const { partition, offset } = entry
    if (!Number.isInteger(partition) || (partition as number) < 0) throw new UsageError(`${where}: bad "partition"`)
    if (typeof offset !== 'string' || !/^\d+$/.test(offset))
      throw new UsageError(`${where}: "offset" must be a digit string`)
    const hasValue = 'value' in entry
    const hasBase64 = typeof entry.valueBase64 === 'string'
    if (hasValue === hasBase64) throw new UsageError(`${where}: give exactly one of "value" and "valueBase64"`)
    const value = hasBase64
      ? Buffer.from(entry.valueBase64 as string, 'base64')
      : Buffer.from(JSON.stringify(entry.value))
    fixed.set(positionKey(partition as number, BigInt(offset)), value)
  }
  return fixed
}
