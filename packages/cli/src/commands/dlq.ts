import { flag, intOption, requirePositional } from '../args.ts'
import { commandGroup, type Command } from '../command.ts'
import { writeJson, writeLine } from '../context.ts'
import { UsageError } from '../errors.ts'
import { deadLetterLine, describeDeadLetter, readDeadLetters } from './dlq-read.ts'
import { dlqReplayCommand } from './dlq-replay.ts'
import { ValueDecoder } from './value-decoder.ts'

const NAME = 'dlq inspect'

const inspect: Command = {
  name: 'inspect',
  summary: 'Show dead letters with their reason, code, source position, size and hash',
  arguments: [{ name: 'dlq-topic', required: true }],
  options: {
    'max-messages': {
      type: 'string',
      short: 'n',
      value: 'N',
      description: 'show at most N dead letters',
      default: '100',
    },
    'timeout-ms': { type: 'string', value: 'T', description: 'bound of the read per partition', default: '30000' },
    raw: { type: 'boolean', description: 'do not decode registry-framed values' },
    json: { type: 'boolean', description: 'one JSON object per dead letter' },
  },
  notes: [
    'Reads the committed records of a dead-letter topic (e.g. sensors.dlq) from the beginning and shows, for',
    'each: the error code and reason, the source topic/partition/offset, the original size and SHA-256, whether',
    'the value was truncated to fit the topic, and the value (decoded through the Schema Registry when framed).',
  ].join('\n'),
  async run(args, ctx) {
    const topic = requirePositional(args, NAME, 0, 'dead-letter topic')
    if (args.positionals.length > 1) throw new UsageError(`${NAME}: unexpected argument "${args.positionals[1]}"`)
    const max = intOption(args, NAME, 'max-messages', 100)
    const timeoutMs = intOption(args, NAME, 'timeout-ms', 30_000)
    const json = flag(args, 'json')
    const decoder = flag(args, 'raw')
      ? undefined
      : new ValueDecoder(ctx.registryUrl, (message) => writeLine(ctx.stderr, `${NAME}: ${message}`))
    const records = await readDeadLetters(await ctx.kafka(), topic, { max, timeoutMs })
    for (const record of records) {
      const view = await describeDeadLetter(record, decoder)
      if (json) writeJson(ctx.stdout, view)
      else writeLine(ctx.stdout, deadLetterLine(view))
    }
    if (!json) writeLine(ctx.stderr, `${records.length} dead letter${records.length === 1 ? '' : 's'} in ${topic}`)
    return 0
  },
}

export const dlqCommand = commandGroup('dlq', 'Dead-letter topics: inspect dead letters, replay them', [
  inspect,
  dlqReplayCommand,
])
