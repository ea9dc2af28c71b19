import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { intOption, stringOption } from '../args.ts'
import { commandGroup, type Command } from '../command.ts'
import { writeLine } from '../context.ts'

const start: Command = {
  name: 'start',
  summary: 'Run the Schema Registry (Confluent REST API) in the foreground',
  options: {
    port: { type: 'string', value: 'P', description: 'listen port', default: '8081' },
    host: { type: 'string', value: 'H', description: 'listen address', default: '127.0.0.1' },
    url: {
      type: 'string',
      value: 'URL',
      description: 'the address other instances use to reach this one',
      default: 'http://<host>:<port>',
    },
  },
  notes: [
    'Serves the Confluent Schema Registry REST API with its state in the compacted `_schemas` topic of the',
    'Kafka cluster. Several instances on one cluster elect one writer; the others forward writes to it.',
  ].join('\n'),
  async run(args, ctx) {
    const port = intOption(args, 'registry start', 'port', 8081)
    const host = stringOption(args, 'host') ?? '127.0.0.1'
    await ctx.kafka() // fails fast, with one line, when Kafka is not reachable
    // The registry is a service: it runs as its own process, from its main.ts, as `npm start` runs it.
    const child = spawn(process.execPath, [join(ctx.repoRoot, 'packages', 'registry', 'src', 'main.ts')], {
      env: {
        ...ctx.kafkaEnv(),
        ISOBAR_REGISTRY_PORT: String(port),
        ISOBAR_REGISTRY_HOST: host,
        ISOBAR_REGISTRY_ADVERTISED_URL: stringOption(args, 'url') ?? `http://${host}:${port}`,
        LOG_LEVEL: ctx.env.LOG_LEVEL ?? 'info',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    const exited = once(child, 'exit').then(([code]) => (typeof code === 'number' ? code : 1))
    const stop = (): void => void child.kill('SIGTERM')
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    try {
      const url = `http://${host}:${port}`
      if (await listening(url, exited)) writeLine(ctx.stdout, `Schema Registry listening on ${url} (Ctrl-C to stop)`)
      return (await exited) === 0 ? 0 : 1
    } finally {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
    }
  },
}

/** Polls /health until the registry answers (true) or its process ended (false). */
async function listening(url: string, exited: Promise<number>): Promise<boolean> {
  let ended = false
  void exited.then(() => (ended = true))
  const probe = url.replace('//0.0.0.0:', '//127.0.0.1:')
  while (!ended) {
    const ok = await fetch(`${probe}/health`, { signal: AbortSignal.timeout(1000) }).then(
      (response) => response.ok,
      () => false,
    )
    if (ok) return true
    await sleep(200)
  }
  return false
}

export const registryCommand = commandGroup('registry', 'Run the Schema Registry', [start])
