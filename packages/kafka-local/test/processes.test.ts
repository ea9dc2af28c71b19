import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:net'
import { describe, it } from 'node:test'
import { canConnect, isOwnProcess, isPidAlive, isPortFree, waitForExit } from '../src/processes.ts'

function listen(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer()
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address()
      resolve({ server, port: typeof address === 'object' && address !== null ? address.port : 0 })
    })
  })
}

describe('unit: kafka-local processes', () => {
  it('sees a busy port as busy and connectable, then free once closed', async () => {
    const { server, port } = await listen()
    assert.equal(await isPortFree(port), false)
    assert.equal(await canConnect(port), true)
    await new Promise((resolve) => server.close(resolve))
    assert.equal(await isPortFree(port), true)
    assert.equal(await canConnect(port), false)
  })

  it('tells live, own and dead processes apart', async () => {
    assert.equal(isPidAlive(process.pid), true)
    assert.equal(isPidAlive(0), false)
    assert.equal(isPidAlive(-1), false)
    const child = spawn('sleep', ['30'], { stdio: 'ignore' })
    const pid = child.pid ?? 0
    // On a loaded machine /proc/<pid>/cmdline can still show the forked parent for a moment: poll, bounded.
    const deadline = Date.now() + 10_000
    while (!isOwnProcess(pid, 'sleep') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
    assert.equal(isOwnProcess(pid, 'sleep'), true)
    assert.equal(isOwnProcess(pid, '/some/node-1/server.properties'), false, 'a recycled pid is not ours')
    child.kill('SIGKILL')
    assert.deepEqual(await waitForExit([pid], 5_000), [])
    assert.equal(isPidAlive(pid), false)
  })
})
