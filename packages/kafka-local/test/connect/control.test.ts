/** The Connect worker's files and its refusals (no Kafka: the worker itself runs in the integration test). */
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { connectJvmArgs, connectLog4jXml, connectPaths, connectWorkerProperties } from '../../src/connect/config.ts'
import { connectStatus, startConnect, stopConnect } from '../../src/connect/control.ts'
import {
  CONVERTER_JAR,
  DEBEZIUM_MARKER,
  connectPluginPath,
  ensureConnectPlugins,
  pluginJars,
} from '../../src/connect/plugins.ts'
import { isKafkaLocalError } from '../../src/errors.ts'
import { JARS_MARKER_FILE } from '../../src/jars.ts'

// Fixed ports from the range this work was given (30700–30749).
const PORT = 30744

test('worker properties: distributed group, internal topics, REST on 127.0.0.1, plugin path, extras', () => {
  const text = connectWorkerProperties({
    bootstrapServers: '127.0.0.1:9092',
    port: 8083,
    groupId: 'g',
    pluginPath: '/p',
    extra: { 'consumer.max.poll.records': '200' },
  })
  const props = new Map(
    text
      .split('\n')
      .filter((l) => l.includes('=') && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
  )
  assert.equal(props.get('group.id'), 'g')
  assert.equal(props.get('config.storage.topic'), 'g-configs')
  assert.equal(props.get('offset.storage.topic'), 'g-offsets')
  assert.equal(props.get('status.storage.topic'), 'g-status')
  assert.equal(props.get('listeners'), 'http://127.0.0.1:8083')
  assert.equal(props.get('plugin.path'), '/p')
  assert.equal(props.get('consumer.max.poll.records'), '200')
  const paths = connectPaths('/h')
  const args = connectJvmArgs(paths, '/lib', 320)
  assert.ok(args.includes('-Xmx320m'))
  assert.deepEqual(args.slice(-4), [
    '-cp',
    '/lib/*',
    'org.apache.kafka.connect.cli.ConnectDistributed',
    '/h/connect/worker.properties',
  ])
  assert.match(connectLog4jXml(paths), /fileName="\/h\/connect\/connect\.log"/)
})

/** A lib root that passes the presence checks without real jars (the JVM then finds no Connect class). */
async function fakeLibRoot(dir: string): Promise<string> {
  const libRoot = join(dir, 'lib')
  await mkdir(join(libRoot, '4.2.2'), { recursive: true })
  await writeFile(join(libRoot, '4.2.2', JARS_MARKER_FILE), '{}')
  const plugins = connectPluginPath(libRoot)
  await mkdir(join(plugins, 'debezium-jdbc'), { recursive: true })
  await writeFile(join(plugins, 'debezium-jdbc', JARS_MARKER_FILE), DEBEZIUM_MARKER)
  await mkdir(join(plugins, 'isobar-converter'), { recursive: true })
  await writeFile(join(plugins, 'isobar-converter', CONVERTER_JAR), '')
  return libRoot
}

test('startConnect refuses without plugins, on a taken port, and reports a JVM that exits', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'isobar-connect-'))
  const server = createServer()
  t.after(async () => {
    if (server.listening) await new Promise((resolve) => server.close(resolve))
    await rm(dir, { recursive: true, force: true })
  })
  const homeDir = join(dir, 'home')
  assert.equal((await connectStatus({ homeDir })).running, false)
  assert.equal(await stopConnect({ homeDir }), false)
  const base = { homeDir, bootstrapServers: '127.0.0.1:1', port: PORT }
  await assert.rejects(startConnect({ ...base, libRoot: join(dir, 'empty') }), (e) => {
    assert.ok(isKafkaLocalError(e, 'ISOBAR_KAFKA_LOCAL_CONNECT_FAILED'))
    assert.match(
      e.message,
      /missing the Kafka jars .*, the Debezium JDBC sink, the registry converter: run npm run connect:jars first/,
    )
    return true
  })

  const libRoot = await fakeLibRoot(dir)
  assert.equal(await ensureConnectPlugins({ libRoot }), connectPluginPath(libRoot), 'complete: nothing to fetch')
  assert.deepEqual(await pluginJars(connectPluginPath(libRoot), 'isobar-converter'), [CONVERTER_JAR])
  await new Promise<void>((resolve) => server.listen(PORT, '127.0.0.1', resolve))
  await assert.rejects(startConnect({ ...base, libRoot }), (e) =>
    isKafkaLocalError(e, 'ISOBAR_KAFKA_LOCAL_PORT_IN_USE'),
  )
  await new Promise((resolve) => server.close(resolve))

  await assert.rejects(startConnect({ ...base, libRoot, timeoutMs: 60_000 }), (e) => {
    assert.ok(isKafkaLocalError(e, 'ISOBAR_KAFKA_LOCAL_CONNECT_FAILED'))
    assert.match(e.message, /^Kafka Connect exited: .*ConnectDistributed/)
    return true
  })
  assert.equal((await connectStatus({ homeDir })).running, false)
  const properties = await readFile(connectPaths(homeDir).properties, 'utf8')
  assert.match(properties, new RegExp(`listeners=http://127\\.0\\.0\\.1:${PORT}`))
})
