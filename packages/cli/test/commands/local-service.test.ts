import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { test } from 'node:test'
import type { Command } from '../../src/command.ts'
import { createContext } from '../../src/context.ts'
import { localServerCommands, runningAt, type LocalServer } from '../../src/commands/local-service.ts'

async function run(command: Command, argv: string[] = []): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough()
  let out = ''
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  const ctx = createContext({
    env: {},
    stdin: new PassThrough(),
    stdout,
    stderr: new PassThrough(),
    homeDir: '/nonexistent-home',
    repoRoot: '/nonexistent-repo',
    interactive: false,
    localKafka: () => undefined,
  })
  const code = await command.run(argv, ctx)
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
  await assert.rejects(run(down, ['extra-positional']))
})

test('help and summaries: the usage line, and what runs in the exit-code sentence', () => {
  const { status, stop } = localServerCommands(server({ subject: 'the worker' }))
  assert.deepEqual([status.name, status.summary], ['status', 'Is it running'])
  assert.equal(
    status.help,
    'Usage: isobar demo status [--json]\n\nExit code 0 when the worker runs, 3 when it does not.',
  )
  assert.deepEqual([stop.name, stop.summary, stop.help], ['stop', 'Stop it', 'Usage: isobar demo stop [--json]'])
  assert.match(localServerCommands(server({})).status.help, /Exit code 0 when Demo Server runs/)
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
