/** `isobar mqtt start|status|stop` and `simulate sensors --transport mqtt` against a real Mosquitto. */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { runIsobar } from '@isobar/testing'

const PORT = 30630

test('mqtt start runs Mosquitto under the home (no anonymous access, ACLs), status and stop by pid', async (t) => {
  const home = await mkdtemp(join(tmpdir(), 'isobar-cli-mqtt-'))
  const env = { ISOBAR_HOME: home }
  t.after(async () => {
    await runIsobar(['mqtt', 'stop'], { env })
    await rm(home, { recursive: true, force: true })
  })
  assert.equal((await runIsobar(['mqtt', 'status'], { env })).exitCode, 3)
  const started = await runIsobar(['mqtt', 'start', '--port', String(PORT), '--json'], { env })
  assert.equal(started.exitCode, 0, started.stderr)
  const result = JSON.parse(started.stdout) as { url: string; pid: number; reused: boolean }
  assert.equal(result.url, `mqtt://127.0.0.1:${PORT}`)
  assert.equal(result.reused, false)
  const conf = await readFile(join(home, 'mqtt', 'mosquitto.conf'), 'utf8')
  assert.match(conf, /^allow_anonymous false$/m)
  assert.match(conf, new RegExp(`^listener ${PORT} 127\\.0\\.0\\.1$`, 'm'))
  assert.equal((await stat(join(home, 'mqtt', 'credentials.json'))).mode & 0o777, 0o600)
  const status = await runIsobar(['mqtt', 'status', '--json'], { env })
  assert.equal(status.exitCode, 0)
  assert.equal((JSON.parse(status.stdout) as { pid: number }).pid, result.pid)

  // The simulator publishes as one device per sensor, each provisioned on first sight, acknowledged at QoS 1.
  const sim = await runIsobar(
    ['simulate', 'sensors', '--transport', 'mqtt', '--sensors', '5', '--count', '20', '--json'],
    {
      env,
    },
  )
  assert.equal(sim.exitCode, 0, sim.stderr)
  assert.equal((JSON.parse(sim.stdout) as { acked: number }).acked, 20)
  const credentials = JSON.parse(await readFile(join(home, 'mqtt', 'credentials.json'), 'utf8')) as {
    devices: Record<string, string>
  }
  assert.equal(Object.keys(credentials.devices).length, 5)
  assert.ok(Object.keys(credentials.devices).every((d) => !d.includes(':')))

  const stopped = await runIsobar(['mqtt', 'stop', '--json'], { env })
  assert.deepEqual(JSON.parse(stopped.stdout), { stopped: true })
  assert.equal((await runIsobar(['mqtt', 'status'], { env })).exitCode, 3)
  const bad = await runIsobar(['mqtt', 'start', '--port', 'x'], { env })
  assert.equal(bad.exitCode, 2)
  assert.equal(bad.stderr.trim().split('\n').length, 1)
})
