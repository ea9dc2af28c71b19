import assert from 'node:assert/strict'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { runIsobar } from '@isobar/testing'

// A fixed port from the range this work was given (30700–30749).
const DB_PORT = 30725

test('isobar db start|status|stop and connect status|deploy: results, exit codes, one-line refusals', async (t) => {
  const home = await mkdtemp(join(tmpdir(), 'isobar-db-cli-'))
  await chmod(home, 0o755) // as root, PostgreSQL runs as `postgres`, who must enter the home
  const env = { ISOBAR_HOME: home }
  t.after(async () => {
    await runIsobar(['db', 'stop'], { env })
    await rm(home, { recursive: true, force: true })
  })

  const bad = await runIsobar(['db', 'start', '--port', 'x'], { env })
  assert.equal(bad.exitCode, 2)
  assert.equal(bad.stderr.trim().split('\n').length, 1)
  const down = await runIsobar(['db', 'status'], { env })
  assert.equal(down.exitCode, 3)
  assert.equal(down.stdout.trim(), 'PostgreSQL not running')

  const started = await runIsobar(['db', 'start', '--port', String(DB_PORT), '--json'], { env })
  assert.equal(started.exitCode, 0, started.stderr)
  const db = JSON.parse(started.stdout) as { port: number; reused: boolean; readerUrl: string; socketDir: string }
  assert.equal(db.port, DB_PORT)
  assert.equal(db.reused, false)
  assert.match(db.readerUrl, new RegExp(`^postgresql://isobar_reader:[^@]+@127\\.0\\.0\\.1:${DB_PORT}/isobar$`))
  const again = await runIsobar(['db', 'start', '--port', String(DB_PORT)], { env })
  assert.equal(again.exitCode, 0, again.stderr)
  assert.match(
    again.stdout,
    new RegExp(`^PostgreSQL already running on 127\\.0\\.0\\.1:${DB_PORT} \\(pid \\d+\\); psql -h `),
  )
  const up = await runIsobar(['db', 'status', '--json'], { env })
  assert.equal(up.exitCode, 0)
  assert.equal((JSON.parse(up.stdout) as { running: boolean }).running, true)

  const noWorker = await runIsobar(['connect', 'status'], { env })
  assert.equal(noWorker.exitCode, 3)
  assert.equal(noWorker.stdout.trim(), 'Kafka Connect not running')
  const noDeploy = await runIsobar(['connect', 'deploy'], { env })
  assert.equal(noDeploy.exitCode, 2)
  assert.match(noDeploy.stderr, /^isobar: Kafka Connect is not running: start it first with `isobar connect start`\n/)

  const stopped = await runIsobar(['db', 'stop'], { env })
  assert.equal(stopped.stdout.trim(), 'PostgreSQL stopped')
  assert.equal((await runIsobar(['db', 'status'], { env })).exitCode, 3)
})
