import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pgHbaConf, postgresPaths, postgresServerArgs, postgresUrl, sqlLiteral } from '../../src/postgres/config.ts'

test('the server listens on 127.0.0.1 only, with its socket under the home', () => {
  const paths = postgresPaths('/h')
  assert.equal(paths.data, '/h/db/data')
  assert.equal(paths.pid, '/h/db/data/postmaster.pid')
  const args = postgresServerArgs(paths, 30701)
  assert.deepEqual(args.slice(0, 4), ['-p', '30701', '-k', '/h/db/run'])
  assert.ok(args.includes('listen_addresses=127.0.0.1'))
})

test('pg_hba trusts only the private socket and asks a SCRAM password on 127.0.0.1, nothing else', () => {
  const rules = pgHbaConf()
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.split(/\s+/))
  assert.deepEqual(rules, [
    ['local', 'all', 'all', 'trust'],
    ['host', 'all', 'all', '127.0.0.1/32', 'scram-sha-256'],
  ])
})

test('connection URLs encode the password; SQL literals double quotes', () => {
  assert.equal(
    postgresUrl(5432, { username: 'isobar_reader', password: 'a/b@c' }),
    'postgresql://isobar_reader:a%2Fb%40c@127.0.0.1:5432/isobar',
  )
  assert.equal(sqlLiteral("it's"), "'it''s'")
})
