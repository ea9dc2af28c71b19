import { displayText, type ConsumedRecord } from '@isobar/core'
import { flag, intOption, requirePositional, stringOption } from '../args.ts'
import type { Command } from '../command.ts'
import { ValueDecoder, type DecodedValue } from './value-decoder.ts'
import { writeJson, writeLine } from '../context.ts'

export const consumeCommand: Command = {
  name: 'consume',
  summary: 'Print records of a topic (kcat-like)',
  arguments: [{ name: 'topic', required: true }],
  options: {
    group: {
      type: 'string',
      short: 'g',
      value: 'G',
      description: 'consume in consumer group G and commit offsets',
      default: 'no group, no commits',
    },
    'from-beginning': {
      type: 'boolean',
      description: 'start at the earliest offset when there is no committed offset',
    },
    'max-messages': { type: 'string', short: 'n', value: 'N', description: 'stop after N records' },
    'timeout-ms': {
      type: 'string',
      value: 'T',
      description: 'stop when no record arrives for T ms',
      default: 'wait forever',
    },
    json: {
      type: 'boolean',
      description: 'one JSON object per line: topic, partition, offset, timestamp, key, value, headers',
    },
    raw: {
      type: 'boolean',
      description: 'do not decode Schema Registry framed values',
      default: 'decode them through SCHEMA_REGISTRY_URL, default http://127.0.0.1:8081, and add their schemaId',
    },
  },
  notes: 'Text output: one line per record, "p<partition> @<offset> <timestamp> key=<key> [h=v,…] <value>".',
  async run(args, ctx) {
    const topic = requirePositional(args, 'consume', 0, 'topic name')
    const max = intOption(args, 'consume', 'max-messages', Number.POSITIVE_INFINITY)
    const idleTimeout = intOption(args, 'consume', 'timeout-ms', 0, 1)
    const group = stringOption(args, 'group')
    const json = flag(args, 'json')
    const decoder = flag(args, 'raw')
      ? undefined
      : new ValueDecoder(ctx.registryUrl, (message) => writeLine(ctx.stderr, `consume: ${message}`))

    const client = await ctx.kafka()
    const admin = client.admin()
    await admin.describeTopics([topic]).finally(() => admin.close())
    const consumer = client.consumer({
      topics: [topic],
      from: flag(args, 'from-beginning') ? 'earliest' : 'latest',
      ...(group ? { groupId: group, autocommitMs: false as const } : {}),
    })
    let count = 0
    const lastSeen = new Map<number, ConsumedRecord>()
    let idleTimer: NodeJS.Timeout | undefined
    const stop = (): void => {
      void consumer.close()
    }
    const armIdle = (): void => {
      if (idleTimeout <= 0) return
      clearTimeout(idleTimer)
      idleTimer = setTimeout(stop, idleTimeout)
    }
    // Only printed records are committed (the client's autocommit would also cover prefetched ones).
    const commitTimer = group
      ? setInterval(() => void consumer.commit([...lastSeen.values()]).catch(() => undefined), 2000)
      : undefined
    process.once('SIGINT', stop)
    armIdle()
    try {
      for await (const record of consumer) {
        const decoded = decoder ? await decoder.decode(record.value, record.topic) : undefined
        if (json) writeJson(ctx.stdout, toJson(record, decoded))
        else writeLine(ctx.stdout, toText(record, decoded))
        if (group) lastSeen.set(record.partition, record)
        armIdle()
        if (++count >= max) break
      }
    } finally {
      clearTimeout(idleTimer)
      clearInterval(commitTimer)
      process.removeListener('SIGINT', stop)
      // Commit exactly what was printed, so a later run in the same group continues after it.
      if (group && lastSeen.size > 0) await consumer.commit([...lastSeen.values()]).catch(() => undefined)
      await consumer.close().catch(() => undefined)
    }
    if (!json) writeLine(ctx.stderr, `Consumed ${count} records from ${topic}`)
    return 0
  },
}

function decode(buffer: Buffer | null): { text: string | null; encoding: 'utf8' | 'base64' } {
  if (buffer === null) return { text: null, encoding: 'utf8' }
  // Core's text rule (the console's too): binary payloads (e.g. registry wire format) are shown as base64.
  const text = displayText(buffer)
  return text === undefined ? { text: buffer.toString('base64'), encoding: 'base64' } : { text, encoding: 'utf8' }
}

export function toJson(record: ConsumedRecord, decoded?: DecodedValue): Record<string, unknown> {
  const key = decode(record.key)
  const value = decoded ? { text: decoded.value, encoding: 'json' as const } : decode(record.value)
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset.toString(),
    timestamp: record.timestamp,
    key: key.text,
    value: value.text,
    ...(key.encoding === 'base64' ? { keyEncoding: 'base64' } : {}),
    ...(value.encoding === 'base64' ? { valueEncoding: 'base64' } : {}),
    ...(decoded ? { schemaId: decoded.schemaId } : {}),
    headers: Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, v.toString('utf8')])),
  }
}

export function toText(record: ConsumedRecord, decoded?: DecodedValue): string {
  const headers = Object.entries(record.headers)
  const headerText = headers.length ? ` [${headers.map(([k, v]) => `${k}=${v.toString('utf8')}`).join(',')}]` : ''
  const key = record.key === null ? '' : decode(record.key).text
  const value = decoded
    ? `${JSON.stringify(decoded.value)} (schema ${decoded.schemaId})`
    : record.value === null
      ? 'NULL'
      : decode(record.value).text
  return `p${record.partition} @${record.offset} ${new Date(record.timestamp).toISOString()} key=${key}${headerText} ${value}`
}
