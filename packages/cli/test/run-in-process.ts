import { join } from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import { REPO_ROOT, type ProcessResult } from '@isobar/testing'
import { createContext } from '../src/context.ts'
import { reportFailure } from '../src/failure.ts'
import { runCli } from '../src/run.ts'

/** Where in-process runs point Kafka: port 1 on loopback, refused at once (as runIsobar does in the unit tier). */
const NO_KAFKA = '127.0.0.1:1'

/** A stream that keeps what is written to it. */
function capture(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = []
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
      done()
    },
  })
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') }
}

/**
 * Runs `isobar …` in this process, as main.ts does (runCli, then reportFailure for an error no command handled),
 * with captured stdout/stderr and the given environment only: no process.env, no terminal. For argument errors,
 * help text and output formats; what needs a real process (exit status, signals, module loading) uses runIsobar.
 */
export async function runIsobarInProcess(
  args: readonly string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<ProcessResult> {
  const stdout = capture()
  const stderr = capture()
  const env: Record<string, string | undefined> = { KAFKA_BOOTSTRAP_SERVERS: NO_KAFKA, ...options.env }
  const stdin = new PassThrough()
  stdin.end(options.input ?? '')
  const context = () =>
    Promise.resolve(
      createContext({
        env,
        stdin,
        stdout: stdout.stream,
        stderr: stderr.stream,
        homeDir: env.ISOBAR_HOME ?? join(REPO_ROOT, '.isobar'),
        repoRoot: REPO_ROOT,
        interactive: false,
        localKafka: () => undefined,
      }),
    )
  let exitCode: number
  try {
    exitCode = await runCli([...args], { stdout: stdout.stream, stderr: stderr.stream }, context)
  } catch (error) {
    exitCode = await reportFailure(error, stderr.stream, false)
  }
  return { exitCode, stdout: stdout.text(), stderr: stderr.text() }
}
