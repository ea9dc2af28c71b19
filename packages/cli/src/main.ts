import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CliContext } from './context.ts'
import { runCli } from './run.ts'

/** Wiring only: the environment is read here and nowhere else. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (dir !== dirname(dir)) {
    if (existsSync(join(dir, 'packages', 'cli')) && existsSync(join(dir, 'package.json'))) return dir
    dir = dirname(dir)
  }
  return process.cwd()
}

const root = repoRoot()
const homeDir = resolve(process.env.ISOBAR_HOME ?? join(root, '.isobar'))

/** The command context, built once a command is chosen: it (and the Kafka client layer) stays unloaded until then. */
async function context(): Promise<CliContext> {
  const [{ createContext }, { localKafkaConnection }] = await Promise.all([
    import('./context.ts'),
    import('@isobar/kafka-local'),
  ])
  return createContext({
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    homeDir,
    repoRoot: root,
    interactive: process.stderr.isTTY === true,
    localKafka: () => localKafkaConnection({ homeDir }),
  })
}

try {
  process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, context)
} catch (error) {
  const { reportFailure } = await import('./failure.ts')
  process.exitCode = await reportFailure(error, process.stderr, Boolean(process.env.ISOBAR_DEBUG))
}
