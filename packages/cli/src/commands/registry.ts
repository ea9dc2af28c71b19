import { createLogger } from '@isobar/core'
import { startRegistry } from '@isobar/registry'
import { intOption, parseCommandArgs, stringOption } from '../args.ts'
import { commandGroup, type Command } from '../command.ts'
import { writeLine } from '../context.ts'

const start: Command = {
  name: 'start',
  summary: 'Run the Schema Registry (Confluent REST API) in the foreground',
  help: [
    'Usage: isobar registry start [--port 8081] [--host 127.0.0.1] [--url URL]',
    '',
    'Serves the Confluent Schema Registry REST API with its state in the compacted `_schemas` topic of the',
    'Kafka cluster. Several instances on one cluster elect one writer; the others forward writes to it.',
    '',
    '  --port P     listen port (default 8081)',
    '  --host H     listen address (default 127.0.0.1)',
    '  --url URL    the address other instances use to reach this one (default http://<host>:<port>)',
  ].join('\n'),
  async run(argv, ctx) {
    const args = parseCommandArgs(
      'registry start',
      argv,
      { port: { type: 'string' }, host: { type: 'string' }, url: { type: 'string' } },
      false,
    )
    const port = intOption(args, 'registry start', 'port', 8081)
    const host = stringOption(args, 'host') ?? '127.0.0.1'
    const kafka = await ctx.kafka()
    const running = await startRegistry({
      kafka,
      port,
      host,
      instanceUrl: stringOption(args, 'url') ?? `http://${host}:${port}`,
      logger: createLogger({ service: 'registry', level: ctx.env.LOG_LEVEL ?? 'info' }),
    })
    writeLine(ctx.stdout, `Schema Registry listening on ${running.url} (Ctrl-C to stop)`)
    await new Promise<void>((resolve) => {
      const stop = (): void => resolve()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    await running.close()
    return 0
  },
}

export const registryCommand = commandGroup('registry', 'Run the Schema Registry', [start])
