import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import { isKafkaLocalError } from '../src/errors.ts'
import { ManagedProcess, assertPortFree } from '../src/managed-process.ts'
import { isPidAlive } from '../src/processes.ts'

async function home(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'isobar-managed-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

const files = (dir: string) => ({
  pid: join(dir, 'server.pid'),
  conf: join(dir, 'server.conf'),
  dir,
  log: join(dir, 'server.log'),
})

function managed(dir: string, scheme?: string): ManagedProcess {
  const paths = files(dir)
  return new ManagedProcess(paths, {
    marker: paths.conf,
    portPattern: /^port=(\d+)$/m,
    ...(scheme === undefined ? {} : { scheme }),
  })
}

/** A child whose command line carries the marker, as the real servers' carry their config file. */
function spawnOwned(t: TestContext, marker: string): number {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', marker], { stdio: 'ignore' })
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  assert.ok(child.pid !== undefined)
  return child.pid
}

describe('unit: managed local process', () => {
  it('reads the configured port with each server pattern (Connect, Mosquitto, the postmaster.pid)', async (t) => {
    const dir = await home(t)
    const port = (file: string, portPattern: RegExp) =>
      new ManagedProcess(files(dir), { marker: 'unused', portFile: join(dir, file), portPattern }).port()
    await writeFile(join(dir, 'worker.properties'), 'group.id=g\nlisteners=http://127.0.0.1:8083\n')
    assert.equal(await port('worker.properties', /^listeners=http:\/\/127\.0\.0\.1:(\d+)$/m), 8083)
    await writeFile(join(dir, 'mosquitto.conf'), 'per_listener_settings true\nlistener 1883 127.0.0.1\n')
    assert.equal(await port('mosquitto.conf', /^listener (\d+) /m), 1883)
    const postmaster = /^(?:[^\n]*\n){3}[ \t]*(\d+)[ \t]*(?:\n|$)/
    await writeFile(join(dir, 'postmaster.pid'), '4242\n/h/db/data\n1700000000\n5432\n/h/db/run\n')
    assert.equal(await port('postmaster.pid', postmaster), 5432)
    await writeFile(join(dir, 'short.pid'), '4242\n/h/db/data\n')
    assert.equal(await port('short.pid', postmaster), undefined)
    assert.equal(await port('missing', postmaster), undefined)
    await writeFile(join(dir, 'zero.conf'), 'port=0\n')
    assert.equal(await port('zero.conf', /^port=(\d+)$/m), undefined)
  })

  it('is running only with its own pid and a known port; the URL comes with a scheme', async (t) => {
    const dir = await home(t)
    const server = managed(dir, 'http')
    const { pid: pidFile, conf, log } = files(dir)
    assert.deepEqual(await server.status(), { running: false, dir, log })
    assert.equal(await server.port(), undefined)
    await writeFile(conf, 'port=30123\n')
    assert.equal(await server.port(), 30123, 'the marker (config file) is the port file by default')
    // A live pid that is not ours (a recycled pid) is not taken for the server.
    await writeFile(pidFile, `${process.pid}\n`)
    assert.equal((await server.status()).running, false)
    const pid = spawnOwned(t, conf)
    await writeFile(pidFile, `${pid}\n`)
    assert.deepEqual(await server.status(), {
      running: true,
      pid,
      port: 30123,
      url: 'http://127.0.0.1:30123',
      dir,
      log,
    })
    assert.deepEqual(await managed(dir).status(), { running: true, pid, port: 30123, dir, log })
  })

  it('stops its own process by pid with the given signal, and removes the pid file when asked', async (t) => {
    const dir = await home(t)
    const server = managed(dir)
    const { pid: pidFile, conf } = files(dir)
    await writeFile(conf, 'port=30124\n')
    const pid = spawnOwned(t, conf)
    await writeFile(pidFile, `${pid}\n`)
    assert.equal(await server.stop({ signal: 'SIGINT', timeoutMs: 30_000, removePidFile: false }), true)
    assert.equal(isPidAlive(pid), false)
    assert.equal(existsSync(pidFile), true, 'kept: the server removes its own')
    assert.equal(await server.stop({ signal: 'SIGTERM', timeoutMs: 30_000, removePidFile: true }), false)
    assert.equal(existsSync(pidFile), false, 'a stale pid file goes')
  })

  it('refuses a port something else holds with PORT_IN_USE and the --port hint', async (t) => {
    const holder = createServer()
    await new Promise<void>((resolve) => holder.listen({ host: '127.0.0.1', port: 0 }, resolve))
    t.after(() => new Promise((resolve) => holder.close(resolve)))
    const address = holder.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    await assert.rejects(assertPortFree(port), (e) => {
      assert.ok(isKafkaLocalError(e, 'ISOBAR_KAFKA_LOCAL_PORT_IN_USE'))
      assert.equal(e.message, `port ${port} is in use: choose another with --port`)
      return true
    })
  })
})
