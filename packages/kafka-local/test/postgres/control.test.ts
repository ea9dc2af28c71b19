/**
 * The local PostgreSQL for real (Debian's postgresql-15, no Kafka needed): init, start, schema, roles, reuse,
 * stop, and the refusals.
 */
import assert from 'node:assert/strict'
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { isKafkaLocalError } from '../../src/errors.ts'
import {
  postgresStatus,
  readPostgresCredentials,
  runPsql,
  startPostgres,
  stopPostgres,
} from '../../src/postgres/control.ts'

// Fixed ports from the range this work was given (30700–30749).
const PORT = 30742
const BUSY_PORT = 30743

test('startPostgres initialises once, applies the history schema and roles, is reused, and stops by its pid', async (t) => {
  const home = await mkdtemp(join(tmpdir(), 'isobar-pg-'))
  await chmod(home, 0o755) // as root, PostgreSQL runs as `postgres`, who must enter the home
  t.after(async () => {
    await stopPostgres({ homeDir: home })
    await rm(home, { recursive: true, force: true })
  })
  assert.equal((await postgresStatus({ homeDir: home })).running, false)
  assert.equal(await readPostgresCredentials({ homeDir: home }), undefined)
  await assert.rejects(runPsql({ homeDir: home, sql: 'SELECT 1;' }), (e) =>
    isKafkaLocalError(e, 'ISOBAR_KAFKA_LOCAL_NOT_RUNNING'),
  )

  const db = await startPostgres({ homeDir: home, port: PORT, retentionDays: 7 })
  assert.equal(db.reused, false)
  assert.equal(db.port, PORT)
  assert.equal(db.pruned, 0)
  assert.match(db.ownerUrl, new RegExp(`^postgresql://isobar:[A-Za-z0-9_-]{24}@127\\.0\\.0\\.1:${PORT}/isobar$`))
  assert.notEqual(db.credentials.owner.password, db.credentials.reader.password)
  assert.deepEqual(await readPostgresCredentials({ homeDir: home }), db.credentials)
  assert.equal((await stat(join(home, 'db', 'credentials.json'))).mode & 0o777, 0o600)
  const status = await postgresStatus({ homeDir: home })
  assert.deepEqual([status.running, status.pid, status.port], [true, db.pid, PORT])

  const tables = await runPsql({
    homeDir: home,
    sql: "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1;",
  })
  assert.deepEqual(tables.trim().split('\n'), ['alerts', 'sensor_aggregates', 'weather_observations'])
  const keys = await runPsql({
    homeDir: home,
    sql:
      "SELECT string_agg(a.attname, ',' ORDER BY array_position(i.indkey, a.attnum)) FROM pg_index i " +
      'JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indisprimary ' +
      "AND i.indrelid = 'sensor_aggregates'::regclass;",
  })
  assert.equal(keys.trim(), 'sensor_id,field,window_kind,window_start_ms,window_end_ms')
  const grants = await runPsql({
    homeDir: home,
    sql: "SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = 'isobar_reader' AND table_name = 'alerts';",
  })
  assert.equal(grants.trim(), 'SELECT')

  // Upsert semantics the sink relies on: the same key twice is one row, and the retention deletes old rows.
  const old = Date.now() - 10 * 86_400_000
  const insert = (mean: number) =>
    'INSERT INTO sensor_aggregates (sensor_id, field, window_kind, window_start_ms, window_end_ms, count, min, max, ' +
    `mean, emitted_at_ms, final) VALUES ('s:1', 'temperatureC', 'tumbling', ${old}, ${old + 60_000}, 1, 1, 1, ${mean}, ` +
    `${old}, true) ON CONFLICT (sensor_id, field, window_kind, window_start_ms, window_end_ms) DO UPDATE SET mean = EXCLUDED.mean;`
  await runPsql({ homeDir: home, sql: insert(1) + insert(2) })
  assert.equal(
    (await runPsql({ homeDir: home, sql: 'SELECT count(*), max(mean) FROM sensor_aggregates;' })).trim(),
    '1\t2',
  )

  const again = await startPostgres({ homeDir: home, port: PORT, retentionDays: 7 })
  assert.equal(again.reused, true)
  assert.equal(again.pid, db.pid)
  assert.equal(again.pruned, 1, 'the 10-day-old row is past a 7-day retention')
  assert.deepEqual(again.credentials, db.credentials)

  assert.equal(await stopPostgres({ homeDir: home }), true)
  assert.equal((await postgresStatus({ homeDir: home })).running, false)
  assert.equal(await stopPostgres({ homeDir: home }), false)
  const log = await readFile(join(home, 'db', 'log', 'postgres.log'), 'utf8')
  assert.match(log, /database system is shut down/)
})

test('startPostgres refuses a taken port, a bad retention and a missing installation with clear errors', async (t) => {
  const home = await mkdtemp(join(tmpdir(), 'isobar-pg-'))
  await chmod(home, 0o755)
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(BUSY_PORT, '127.0.0.1', resolve))
  t.after(async () => {
    await new Promise((resolve) => server.close(resolve))
    await rm(home, { recursive: true, force: true })
  })
  await assert.rejects(startPostgres({ homeDir: home, port: BUSY_PORT }), (e) => {
    assert.ok(isKafkaLocalError(e, 'ISOBAR_KAFKA_LOCAL_PORT_IN_USE'))
    assert.match(e.message, /port 30743 is in use/)
    return true
  })
  await assert.rejects(
    startPostgres({ homeDir: home, port: PORT, retentionDays: 0 }),
    /retention must be 1\.\.36500 days/,
  )
  await assert.rejects(startPostgres({ homeDir: home, port: PORT, binDir: join(home, 'nowhere') }), (e) => {
    assert.ok(isKafkaLocalError(e, 'ISOBAR_KAFKA_LOCAL_POSTGRES_MISSING'))
    assert.match(e.message, /apt-get install postgresql-15/)
    return true
  })
})
