import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { test } from 'node:test'
import { REPO_ROOT, testBootstrapServers } from '@isobar/testing'

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  return port
}

test('isobar registry start: the registry runs as its own process and advertises the --url it was given', async (t) => {
  const port = await freePort()
  const advertised = `http://registry.example.test:${port}`
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'packages', 'cli', 'bin', 'isobar.js'),
      'registry',
      'start',
      '--port',
      String(port),
      '--url',
      advertised,
    ],
    {
      env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: testBootstrapServers(), ISOBAR_REGISTRY_STORE: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a failed test kills the CLI and the registry it spawned together.
      detached: true,
    },
  )
  const exited = once(child, 'exit')
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL')
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const deadline = Date.now() + 90_000
  const ready = () => stdout.includes('listening on') && stderr.includes('"instanceUrl"')
  while (!ready() && child.exitCode === null && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  assert.match(stdout, new RegExp(`Schema Registry listening on http://127.0.0.1:${port}`), stderr)
  const started = stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { instanceUrl?: string })
    .find((entry) => entry.instanceUrl !== undefined)
  assert.equal(
    started?.instanceUrl,
    advertised,
    'the advertised URL reaches the registry (leader announcements name it)',
  )
  const health = await fetch(`http://127.0.0.1:${port}/health`)
  assert.equal(health.status, 200)
  child.kill('SIGTERM')
  const [code] = await exited
  assert.equal(code, 0, stderr)
})
