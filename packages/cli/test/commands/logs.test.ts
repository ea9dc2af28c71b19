import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { runIsobarInProcess } from '../run-in-process.ts'

const home = mkdtempSync(join(tmpdir(), 'isobar-logs-cmd-'))
after(() => rmSync(home, { recursive: true, force: true }))
const env = { ISOBAR_HOME: home }

describe('isobar logs', () => {
  it('lists nothing before the platform ran, then reads the last lines of a service, filtered by level', async () => {
    const empty = await runIsobarInProcess(['logs'], { env })
    assert.equal(empty.exitCode, 0)
    assert.match(empty.stdout, /No service logs yet/)

    mkdirSync(join(home, 'logs'))
    const lines = Array.from({ length: 60 }, (_, i) =>
      JSON.stringify({ level: i % 10 === 0 ? 40 : 30, time: 0, service: 'x', msg: `event ${i}` }),
    )
    writeFileSync(join(home, 'logs', 'analytics.log'), `${lines.join('\n')}\n`)

    const list = await runIsobarInProcess(['logs', '--json'], { env })
    assert.deepEqual(
      (JSON.parse(list.stdout) as Array<{ service: string }>).map((s) => s.service),
      ['analytics'],
    )
    const tail = await runIsobarInProcess(['logs', 'analytics', '--lines', '3'], { env })
    assert.equal(tail.exitCode, 0, tail.stderr)
    assert.deepEqual(
      tail.stdout
        .trim()
        .split('\n')
        .map((l) => l.replace(/^\S+ /, '')),
      ['INFO event 57', 'INFO event 58', 'INFO event 59'],
    )
    const warnings = await runIsobarInProcess(['logs', 'analytics', '--lines', '60', '--level', 'warn', '--json'], {
      env,
    })
    assert.equal(warnings.stdout.trim().split('\n').length, 6)
    assert.equal(JSON.parse(warnings.stdout.split('\n')[0] ?? '').msg, 'event 0')
  })

  it('names unknown services and bad options in one line with exit code 2', async () => {
    const unknown = await runIsobarInProcess(['logs', 'nope'], { env })
    assert.equal(unknown.exitCode, 2)
    assert.match(unknown.stderr, /^isobar: logs: no log for "nope"\n {2}\(services with logs: analytics\)/)
    const traversal = await runIsobarInProcess(['logs', '../../etc/passwd'], { env })
    assert.equal(traversal.exitCode, 2)
    assert.match(traversal.stderr, /not a service name/)
    const level = await runIsobarInProcess(['logs', 'analytics', '--level', 'loud'], { env })
    assert.equal(level.exitCode, 2)
  })
})
