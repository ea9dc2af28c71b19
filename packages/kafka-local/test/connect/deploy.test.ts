/**
 * Connector definitions (deploy/connect) against the history schema (deploy/history/schema.sql) and the catalogue's
 * latest message schemas, and the deploy protocol against a stand-in Connect REST API.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { latestSchema, type TopicName } from '@isobar/schemas'
import { connectorStates, deployConnectors, loadConnectorDefinitions } from '../../src/connect/deploy.ts'
import { isKafkaLocalError } from '../../src/errors.ts'
import { HISTORY_SCHEMA_FILE } from '../../src/postgres/control.ts'

const VARIABLES = {
  topicPrefix: 'p.',
  registryUrl: 'http://127.0.0.1:8081',
  jdbcUrl: 'jdbc:postgresql://127.0.0.1:5432/isobar',
  dbUser: 'isobar',
  dbPassword: 'secret',
  replicationFactor: '3',
}

/** Column names of each CREATE TABLE in the history schema. */
function tableColumns(): Map<string, Set<string>> {
  const sql = readFileSync(HISTORY_SCHEMA_FILE, 'utf8')
  const tables = new Map<string, Set<string>>()
  for (const match of sql.matchAll(/CREATE TABLE IF NOT EXISTS (\w+) \(([\s\S]*?)\n\);/g)) {
    const columns = match[2]!
      .split('\n')
      .map((line) => /^\s+(\w+) /.exec(line)?.[1])
      .filter((c): c is string => c !== undefined && c !== 'PRIMARY')
    tables.set(match[1]!, new Set(columns))
  }
  return tables
}

/** Field names after Connect's Flatten (nested objects joined with _), as the converter maps the schema. */
function flattenedFields(schema: { properties?: Record<string, unknown> }, prefix = ''): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, sub]) => {
    const s = sub as { type?: string; properties?: Record<string, unknown> }
    return s.type === 'object' ? flattenedFields(s, `${prefix}${name}_`) : [`${prefix}${name}`]
  })
}

test('every field of the latest message schemas lands in a column of its table, keys included', async () => {
  const definitions = await loadConnectorDefinitions(VARIABLES)
  const tables = tableColumns()
  const sources: Record<string, TopicName> = {
    'isobar-history-aggregates': 'sensors.aggregates',
    'isobar-history-alerts': 'sensors.alerts',
    'isobar-history-observations': 'weather.observations',
  }
  assert.deepEqual(
    definitions.map((d) => d.name),
    Object.keys(sources),
  )
  for (const { name, config } of definitions) {
    const columns = tables.get(config['collection.name.format']!)
    assert.ok(columns, `${name}: table ${config['collection.name.format']} is in schema.sql`)
    const renames = new Map(
      config['transforms.rename.renames']!.split(',').map((r) => r.split(':') as [string, string]),
    )
    const fields = flattenedFields(latestSchema(sources[name]!))
    for (const field of fields) {
      const column = renames.get(field) ?? field
      assert.ok(
        columns.has(column),
        `${name}: ${field} → column ${column} missing in ${config['collection.name.format']}`,
      )
    }
    for (const key of config['primary.key.fields']!.split(',')) assert.ok(columns.has(key), `${name}: key ${key}`)
    assert.equal(config['insert.mode'], 'upsert')
    assert.equal(config['value.converter'], 'dev.isobar.connect.RegistryJsonSchemaConverter')
    assert.equal(config['value.converter.schema.registry.url'], VARIABLES.registryUrl)
    assert.equal(config['errors.deadletterqueue.topic.name'], 'p.history.dlq')
    assert.ok(config.topics!.split(',').every((topic) => topic.startsWith('p.')))
  }
})

test('definitions: placeholders must be known and settings strings', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'isobar-connectors-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  await writeFile(join(dir, 'a.json'), JSON.stringify({ topics: '${topicPrefix}x', 'connection.url': '${nope}' }))
  await assert.rejects(
    loadConnectorDefinitions(VARIABLES, dir),
    /a\.json: unknown placeholder \$\{nope\} in connection\.url/,
  )
  await writeFile(join(dir, 'a.json'), JSON.stringify({ 'tasks.max': 1 }))
  await assert.rejects(loadConnectorDefinitions(VARIABLES, dir), /a\.json: setting tasks\.max must be a string/)
  await writeFile(join(dir, 'a.json'), '[]')
  await assert.rejects(loadConnectorDefinitions(VARIABLES, dir), /a\.json: a connector definition is a JSON object/)
  await writeFile(join(dir, 'a.json'), JSON.stringify({ topics: '${topicPrefix}x', 'x.$Value': 'T$V' }))
  assert.deepEqual(await loadConnectorDefinitions(VARIABLES, dir, 'n-'), [
    { name: 'n-a', config: { topics: 'p.x', 'x.$Value': 'T$V' } },
  ])
})

/** A stand-in for Connect's REST API: PUT config (201 new, 200 update, 400 when told), GET status, GET list. */
async function fakeConnect(states: Record<string, { connector: string; tasks: string[]; trace?: string }>) {
  const configs = new Map<string, unknown>()
  const puts: string[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(value))
      }
      const url = req.url ?? ''
      const config = /^\/connectors\/([^/]+)\/config$/.exec(url)
      const status = /^\/connectors\/([^/]+)\/status$/.exec(url)
      if (req.method === 'PUT' && config) {
        const name = decodeURIComponent(config[1]!)
        puts.push(name)
        if (name.includes('bad')) return send(400, { error_code: 400, message: 'Connector configuration is invalid' })
        const existed = configs.has(name)
        configs.set(name, JSON.parse(body))
        return send(existed ? 200 : 201, { name })
      }
      if (req.method === 'GET' && status) {
        const name = decodeURIComponent(status[1]!)
        const state = states[name]
        if (!configs.has(name) || !state) return send(404, { message: `Connector ${name} not found` })
        return send(200, {
          name,
          connector: { state: state.connector, ...(state.trace ? { trace: state.trace } : {}) },
          tasks: state.tasks.map((s, id) => ({ id, state: s, ...(s === 'FAILED' ? { trace: state.trace } : {}) })),
        })
      }
      if (req.method === 'GET' && url === '/connectors') return send(200, [...configs.keys()])
      return send(500, 'unexpected')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as { port: number }
  return { url: `http://127.0.0.1:${address.port}`, configs, puts, close: () => server.close() }
}

test('deploy PUTs each definition (created, then updated) and waits until connector and tasks run', async (t) => {
  const connect = await fakeConnect({
    'x-isobar-history-aggregates': { connector: 'RUNNING', tasks: ['RUNNING'] },
    'x-isobar-history-alerts': { connector: 'RUNNING', tasks: ['RUNNING'] },
    'x-isobar-history-observations': { connector: 'RUNNING', tasks: ['RUNNING'] },
  })
  t.after(() => connect.close())
  const first = await deployConnectors({ url: connect.url, variables: VARIABLES, namePrefix: 'x-' })
  assert.deepEqual(
    first.map((d) => [d.name, d.created, d.state, d.tasks]),
    [
      ['x-isobar-history-aggregates', true, 'RUNNING', 1],
      ['x-isobar-history-alerts', true, 'RUNNING', 1],
      ['x-isobar-history-observations', true, 'RUNNING', 1],
    ],
  )
  const sent = connect.configs.get('x-isobar-history-aggregates') as Record<string, string>
  assert.equal(sent['connection.password'], 'secret')
  assert.equal(sent.topics, 'p.sensors.aggregates')
  const second = await deployConnectors({
    url: connect.url,
    variables: VARIABLES,
    namePrefix: 'x-',
    only: ['isobar-history-alerts'],
  })
  assert.deepEqual(
    second.map((d) => [d.name, d.created]),
    [['x-isobar-history-alerts', false]],
  )
  assert.equal(connect.puts.length, 4)
  const states = await connectorStates(connect.url)
  assert.deepEqual(
    states.map((s) => [s.name, s.state]),
    [
      ['x-isobar-history-aggregates', 'RUNNING'],
      ['x-isobar-history-alerts', 'RUNNING'],
      ['x-isobar-history-observations', 'RUNNING'],
    ],
  )
})

test('deploy reports a refused definition, a failed task and a connector that never runs', async (t) => {
  const connect = await fakeConnect({
    'f-isobar-history-aggregates': {
      connector: 'RUNNING',
      tasks: ['FAILED'],
      trace: 'org.apache.kafka.connect.errors.ConnectException: table missing\n\tat x',
    },
    's-isobar-history-aggregates': { connector: 'UNASSIGNED', tasks: [] },
  })
  t.after(() => connect.close())
  await assert.rejects(
    deployConnectors({ url: connect.url, variables: VARIABLES, namePrefix: 'bad-', only: ['isobar-history-alerts'] }),
    (e) => {
      assert.ok(isKafkaLocalError(e, 'ISOBAR_KAFKA_LOCAL_CONNECT_DEPLOY_FAILED'))
      assert.equal(e.message, 'bad-isobar-history-alerts: HTTP 400 Connector configuration is invalid')
      return true
    },
  )
  await assert.rejects(
    deployConnectors({ url: connect.url, variables: VARIABLES, namePrefix: 'f-', only: ['isobar-history-aggregates'] }),
    /f-isobar-history-aggregates failed: org\.apache\.kafka\.connect\.errors\.ConnectException: table missing$/,
  )
  await assert.rejects(
    deployConnectors({
      url: connect.url,
      variables: VARIABLES,
      namePrefix: 's-',
      only: ['isobar-history-aggregates'],
      // The fake never changes its answer, so the outcome is the same after any wait: the shortest one.
      timeoutMs: 1,
    }),
    /s-isobar-history-aggregates is UNASSIGNED, not RUNNING, after the wait/,
  )
})
