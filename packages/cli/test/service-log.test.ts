import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { after, describe, it } from 'node:test'
import { RotatingFile, renderLogLine, serviceLogPath } from '../src/service-log.ts'
import { Supervisor } from '../src/supervisor.ts'

const home = mkdtempSync(join(tmpdir(), 'isobar-logs-'))
after(() => rmSync(home, { recursive: true, force: true }))

describe('service logs', () => {
  it('rotates by size and keeps only the configured generations', () => {
    const path = join(home, 'rotate.log')
    const file = new RotatingFile(path, { maxBytes: 100, keep: 2 })
    for (let i = 0; i < 20; i++) file.write(`line ${String(i).padStart(2, '0')} ${'x'.repeat(20)}`)
    file.close()
    file.write('after close is ignored, not a crash')
    const current = readFileSync(path, 'utf8')
    assert.ok(current.length <= 100)
    assert.match(current, /line 19/)
    assert.match(readFileSync(`${path}.1`, 'utf8'), /line 1[0-7]/)
    assert.ok(existsSync(`${path}.2`))
    assert.ok(!existsSync(`${path}.3`))
  })

  it('renders a pino line as one readable line, and passes anything else through', () => {
    const line = JSON.stringify({
      level: 40,
      time: Date.UTC(2026, 11, 4, 12, 3, 4),
      service: 'sensor-analytics',
      msg: 'stream stage restarts',
      stage: 'panes',
      err: { type: 'Error', message: 'broker gone\n    at stack', stack: '...' },
    })
    assert.deepEqual(renderLogLine(line), {
      level: 40,
      text: '12:03:04 WARN stream stage restarts (broker gone) stage=panes',
    })
    assert.deepEqual(renderLogLine('TypeError: x is undefined'), {
      level: undefined,
      text: 'TypeError: x is undefined',
    })
    assert.equal(renderLogLine('{"summary":[]}').level, undefined)
  })

  it('the supervisor writes every line to the service file and shows only problems on the terminal', async () => {
    const script = join(home, 'noisy.mjs')
    const lines = [
      { level: 30, time: 0, msg: 'listening' },
      { level: 40, time: 0, msg: 'registry not ready; retrying', attempt: 1 },
    ].map((l) => JSON.stringify(l))
    writeFileSync(
      script,
      `for (const l of ${JSON.stringify(lines)}) console.log(l)\nconsole.error('plain crash text')\n`,
    )
    const terminal = new PassThrough()
    let shown = ''
    terminal.on('data', (chunk: Buffer) => (shown += chunk.toString()))
    const supervisor = new Supervisor(terminal, { logHomeDir: home })
    const service = supervisor.start({ name: 'noisy', script }, process.env)
    assert.equal(await service.exited, 0)
    // The last lines may still be in the pipes when the process has exited: poll (bounded) for them.
    const read = () => readFileSync(serviceLogPath(home, 'noisy'), 'utf8').trim().split('\n')
    for (let i = 0; i < 100 && read().length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 50))
    const stored = read()
    assert.equal(stored.length, 3, 'the file keeps every line')
    assert.equal(stored[0], lines[0])
    const terminalLines = shown.trim().split('\n')
    assert.deepEqual(
      terminalLines.map((l) => l.replace(/\d\d:\d\d:\d\d /, '')).sort(),
      ['[noisy] WARN registry not ready; retrying attempt=1', '[noisy] plain crash text'].sort(),
    )
  })
})
