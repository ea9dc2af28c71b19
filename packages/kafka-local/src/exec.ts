import { spawn } from 'node:child_process'

export interface ExecOptions {
  input?: string
  timeoutMs: number
  cwd?: string
}

export interface ExecResult {
  /** null when the process was killed by a signal (including our own timeout kill). */
  exitCode: number | null
  stdout: string
  stderr: string
  timedOut: boolean
}

/**
 * Runs a command to completion without a shell (arguments such as `lib/*` must reach the JVM literally).
 * Rejects only when the command cannot be started at all (e.g. ENOENT); a non-zero exit resolves.
 */
export function execCommand(command: string, args: readonly string[], options: ExecOptions): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, options.timeoutMs)
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (exitCode) => {
      clearTimeout(timer)
      resolve({
        exitCode,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        timedOut,
      })
    })
    // A tool that exits before reading its stdin makes the write fail with EPIPE; the exit code tells the story.
    child.stdin.on('error', () => {})
    child.stdin.end(options.input ?? '')
  })
}

export function isEnoent(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT'
}

/** The last `count` non-empty lines of a text, for error messages. */
export function lastLines(text: string, count: number): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-count)
    .join('\n')
}
