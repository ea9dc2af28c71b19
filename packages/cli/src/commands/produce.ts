import { createInterface } from 'node:readline'
import { BatchingProducer, type ProducerRecord } from '@isobar/core'
import { flag, intOption, keyValueOptions, requirePositional, stringOption } from '../args.ts'
import type { Command } from '../command.ts'
import { writeJson, writeLine } from '../context.ts'

export const produceCommand: Command = {
  name: 'produce',
  summary: 'Produce lines from stdin to a topic',
  arguments: [{ name: 'topic', required: true }],
  options: {
    'key-separator': {
      type: 'string',
      short: 'K',
      value: 'SEP',
      description: 'split each line at the first SEP into key and value (otherwise no key)',
    },
    header: {
      type: 'string',
      short: 'H',
      multiple: true,
      value: 'k=v',
      description: 'add a header to every record (repeatable)',
    },
    partition: {
      type: 'string',
      short: 'p',
      value: 'N',
      description: 'write to this partition instead of the key-hash partitioner',
    },
    json: { type: 'boolean', description: 'print the delivery summary as JSON' },
  },
  notes: [
    'Reads one record per line from stdin and produces them with the idempotent producer (acks=all).',
    '',
    'Example: printf "station-1:21.5\\nstation-2:19.0\\n" | isobar produce weather.raw --key-separator :',
  ].join('\n'),
  async run(args, ctx) {
    const topic = requirePositional(args, 'produce', 0, 'topic name')
    const separator = stringOption(args, 'key-separator')
    const headerValues = keyValueOptions(args, 'produce', 'header')
    const headers = Object.keys(headerValues).length
      ? Object.fromEntries(Object.entries(headerValues).map(([k, v]) => [k, Buffer.from(v)]))
      : undefined
    const partition = args.values.partition === undefined ? undefined : intOption(args, 'produce', 'partition', 0, 0)

    const client = await ctx.kafka()
    const admin = client.admin()
    await admin.describeTopics([topic]).finally(() => admin.close())
    const producer = client.producer()
    const config = ctx.kafkaConfig()
    const batching = new BatchingProducer(producer, { ...config.batch, maxInFlight: config.maxInFlight })
    const started = performance.now()
    const failures: string[] = []
    let lines = 0
    try {
      for await (const line of createInterface({ input: ctx.stdin, crlfDelay: Infinity })) {
        if (line === '') continue
        lines++
        const record: ProducerRecord = { topic, value: null }
        const cut = separator === undefined ? -1 : line.indexOf(separator)
        if (separator !== undefined && cut >= 0) {
          record.key = Buffer.from(line.slice(0, cut))
          record.value = Buffer.from(line.slice(cut + separator.length))
        } else {
          record.value = Buffer.from(line)
        }
        if (headers) record.headers = headers
        if (partition !== undefined) record.partition = partition
        const accepted = batching.produce(record, (error) => {
          if (error && failures.length < 5) failures.push(error.message)
        })
        if (!accepted) await batching.ready()
      }
      await batching.flush()
    } finally {
      await producer.close()
    }
    const seconds = (performance.now() - started) / 1000
    const { acknowledged, failed } = batching.stats
    const summary = {
      topic,
      records: lines,
      acknowledged,
      failed,
      seconds: Number(seconds.toFixed(3)),
      errors: failures,
    }
    if (flag(args, 'json')) writeJson(ctx.stdout, summary)
    else {
      writeLine(
        ctx.stderr,
        `Produced ${acknowledged} of ${lines} records to ${topic} in ${seconds.toFixed(2)} s (${failed} failed)`,
      )
      for (const f of failures) writeLine(ctx.stderr, `  error: ${f}`)
    }
    return failed > 0 ? 1 : 0
  },
}
