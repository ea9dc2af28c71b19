import { spawn } from 'node:child_process'
import { kafkaToolCommand } from '@isobar/kafka-local'

export interface JavaToolOptions {
  libDir: string
  heapMb?: number
  timeoutMs: number
  /** Every complete stdout line, as it arrives (for progress). */
  onLine?: (line: string) => void
}

export interface JavaToolRun {
  stdout: string
  stderr: string
  /** Wall time of the JVM including its start-up, for the record; the tools time themselves. */
  seconds: number
}

/** The arguments every Kafka perf tool takes first: the broker, the topic and how many records. */
export function perfToolArgs(bootstrapServers: readonly string[], topic: string, records: number): string[] {
  return ['--bootstrap-server', bootstrapServers.join(','), '--topic', topic, '--num-records', String(records)]
}

/**
 * Runs a Kafka perf tool with its output streamed (runKafkaTool would only return it at the end, and the bar needs
 * the 5-second window lines). A non-zero exit or a timeout rejects with the tail of stderr.
 */
export function runJavaTool(tool: string, args: string[], options: JavaToolOptions): Promise<JavaToolRun> {
  const { command, args: argv } = kafkaToolCommand(tool, args, {
    libDir: options.libDir,
    ...(options.heapMb === undefined ? {} : { heapMb: options.heapMb }),
  })
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let partial = ''
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, options.timeoutMs)
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      if (!options.onLine) return
      const lines = (partial + chunk).split('\n')
      partial = lines.pop() ?? ''
      for (const line of lines) options.onLine(line)
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      // Bounded: a misconfigured log4j can be chatty, and only the tail is ever shown.
      stderr = (stderr + chunk).slice(-64 * 1024)
    })
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const seconds = (performance.now() - started) / 1000
      if (timedOut) reject(new Error(`${tool} did not finish within ${options.timeoutMs} ms\n${lastLines(stderr)}`))
      else if (code !== 0) {
        reject(new Error(`${tool} exited with ${code ?? signal}\n${lastLines(stderr) || lastLines(stdout)}`))
      } else resolve({ stdout, stderr, seconds })
    })
  })
}

function lastLines(text: string, count = 8): string {
  return text.trim().split('\n').slice(-count).join('\n')
}
