import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { test } from 'node:test'
import type { Command } from '../../src/command.ts'
import { createContext } from '../../src/context.ts'
import { localServerCommands, runningAt, type LocalServer } from '../../src/commands/local-service.ts'
import { helpText, invokeCommand } from '../../src/program.ts'

async function runFull(command: Command, argv: string[] = []): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const ctx = createContext({
    env: {},
    stdin: new PassThrough(),
    stdout,
    stderr,
    homeDir: '/nonexistent-home',
    repoRoot: '/nonexistent-repo',
    interactive: false,
    localKafka: () => undefined,
  })
  const code = await invokeCommand(command, argv, ctx, ['demo'])
  return { code, out, err }
}

async function run(command: Command, argv: string[] = []): Promise<{ code: number; out: string }> {
  const { code, out } = await runFull(command, argv)
  return { code, out }
}

type Status = { running: boolean; pid?: number; port?: number; url?: string; dir: string; log: string }
const server = (more: Partial<LocalServer<Status>>): LocalServer<Status> => ({
  group: 'demo',
  label: 'Demo Server',
  statusSummary: 'Is it running',
  stopSummary: 'Stop it',
  status: () => Promise.resolve({ running: false, dir: '/d', log: '/l' }),
  stop: () => Promise.resolve(false),
  ...more,
})

test('runningAt: the URL when there is one, else 127.0.0.1:<port>; then the pid', () => {
  assert.equal(runningAt({ pid: 7, port: 1883, url: 'mqtt://127.0.0.1:1883' }), 'at mqtt://127.0.0.1:1883 (pid 7)')
  assert.equal(runningAt({ pid: 8, port: 5432 }), 'on 127.0.0.1:5432 (pid 8)')
})

test('status: one line and exit 0 when running, 3 when not; --json is the status plus the details', async () => {
  const homes: string[] = []
  const running: Status = { running: true, pid: 42, port: 8083, url: 'http://127.0.0.1:8083', dir: '/d', log: '/l' }
  const { status } = localServerCommands(
    server({
      status: (homeDir) => {
        homes.push(homeDir)
        return Promise.resolve(running)
      },
      details: (s) => Promise.resolve({ json: { extra: s.running }, lines: ['  detail one', '  detail two'] }),
    }),
  )
  assert.deepEqual(await run(status), {
    code: 0,
    out: 'Demo Server running at http://127.0.0.1:8083 (pid 42)\n  detail one\n  detail two\n',
  })
  const json = await run(status, ['--json'])
  assert.equal(json.code, 0)
  assert.deepEqual(JSON.parse(json.out), { ...running, extra: true })
  assert.deepEqual(homes, ['/nonexistent-home', '/nonexistent-home'])
  const down = localServerCommands(server({})).status
  assert.deepEqual(await run(down), { code: 3, out: 'Demo Server not running\n' })
  assert.deepEqual(JSON.parse((await run(down, ['--json'])).out), { running: false, dir: '/d', log: '/l' })
  const extra = await runFull(down, ['extra-positional'])
  assert.equal(extra.code, 2)
  assert.match(extra.err, /^isobar demo status: too many arguments.*\n$/)
})

test('help and summaries: the usage line, and what runs in the exit-code sentence', () => {
  const { status, stop } = localServerCommands(server({ subject: 'the worker' }))
  assert.deepEqual([status.name, status.summary], ['status', 'Is it running'])
  assert.match(helpText(status, ['demo']), /^Usage: isobar demo status \[options\]\n/)
  assert.match(helpText(status, ['demo']), /--json/)
  assert.match(helpText(status, ['demo']), /\nExit code 0 when the worker runs, 3 when it does not.\n$/)
  assert.deepEqual([stop.name, stop.summary], ['stop', 'Stop it'])
  assert.match(helpText(stop, ['demo']), /^Usage: isobar demo stop \[options\]\n[^]*--json/)
  assert.match(helpText(localServerCommands(server({})).status, ['demo']), /Exit code 0 when Demo Server runs/)
})

test('stop: "stopped" or "was not running", exit 0 either way; --json {stopped}', async () => {
  let up = true
  const { stop } = localServerCommands(
    server({
      stop: () => {
        const was = up
        up = false
        return Promise.resolve(was)
      },
    }),
  )
  assert.deepEqual(await run(stop), { code: 0, out: 'Demo Server stopped\n' })
  assert.deepEqual(await run(stop), { code: 0, out: 'Demo Server was not running\n' })
  assert.deepEqual(JSON.parse((await run(stop, ['--json'])).out), { stopped: false })
})
