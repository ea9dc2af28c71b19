import assert from 'node:assert/strict'
import { readFileSync, statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createKafkaClient, parseKafkaConfig, type ConsumedRecord, type KafkaClient } from '@isobar/core'
import { Admin } from '@platformatic/kafka'
import {
  localKafkaConnection,
  localKafkaCredentials,
  startLocalKafka,
  stopLocalKafka,
  type LocalKafkaCluster,
  type LocalPrincipal,
} from '../src/index.ts'

// A secured single-node cluster of its own (ports 29292/29293), apart from the shared test broker.
const name = 'kl-secure-test'
const basePort = 29292
const bootstrap = `127.0.0.1:${basePort}`

/** The broker's protocol error ids (TOPIC_AUTHORIZATION_FAILED…) anywhere in an error's cause/errors tree. */
function protocolErrors(error: unknown, seen = new Set<unknown>()): string[] {
  if (typeof error !== 'object' || error === null || seen.has(error)) return []
  seen.add(error)
  const e = error as { apiId?: unknown; errors?: unknown; cause?: unknown }
  return [
    ...(typeof e.apiId === 'string' ? [e.apiId] : []),
    ...(Array.isArray(e.errors) ? e.errors.flatMap((inner) => protocolErrors(inner, seen)) : []),
    ...protocolErrors(e.cause, seen),
  ]
}

function errorMessages(error: unknown, seen = new Set<unknown>()): string[] {
  if (typeof error !== 'object' || error === null || seen.has(error)) return []
  seen.add(error)
  const e = error as { message?: unknown; errors?: unknown; cause?: unknown }
  return [
    ...(typeof e.message === 'string' ? [e.message] : []),
    ...(Array.isArray(e.errors) ? e.errors.flatMap((inner) => errorMessages(inner, seen)) : []),
    ...errorMessages(e.cause, seen),
  ]
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : JSON.stringify(error)
}

/** Calls `read` until `done` accepts its result (errors count as not yet), for at most `timeoutMs`. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    let value: T | undefined
    let failure: unknown
    try {
      value = await read()
      if (done(value)) return value
    } catch (error) {
      failure = error
    }
    if (Date.now() > deadline) {
      if (value !== undefined) return value
      throw failure instanceof Error ? failure : new Error(describeError(failure))
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

async function rejectsWith(operation: Promise<unknown>, apiId: string): Promise<void> {
  const error = await operation.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  assert.ok(error !== undefined, `expected ${apiId}, but the operation succeeded`)
  assert.ok(
    protocolErrors(error).includes(apiId),
    `expected ${apiId}, got ${protocolErrors(error).join(',') || describeError(error)}`,
  )
}

describe('integration: secured local Kafka (SASL_SSL + SCRAM-SHA-512 + ACLs)', { timeout: 300_000 }, () => {
  let homeDir: string
  let cluster: LocalKafkaCluster

  /** Our own client, configured exactly as a service is: KAFKA_SASL_* and KAFKA_TLS_CA_FILE. */
  function clientAs(principal: LocalPrincipal, password?: string): KafkaClient {
    const credentials = localKafkaCredentials(cluster, principal)
    return createKafkaClient(
      parseKafkaConfig({
        bootstrapServers: [bootstrap],
        clientId: `it-${principal}`,
        connectTimeoutMs: 5000,
        requestTimeoutMs: 15000,
        tls: { ca: credentials.caFile },
        sasl: {
          mechanism: credentials.mechanism,
          username: credentials.username,
          password: password ?? credentials.password,
        },
      }),
    )
  }

  /** A raw client with a single attempt, for connection-level refusals. */
  async function listTopicsRaw(options: { tls: boolean; sasl?: { username: string; password: string } }) {
    const admin = new Admin({
      clientId: 'it-raw',
      bootstrapBrokers: [bootstrap],
      connectTimeout: 5000,
      requestTimeout: 5000,
      retries: 0,
      ...(options.tls ? { tls: { ca: readFileSync(cluster.security!.caFile) } } : {}),
      ...(options.sasl ? { sasl: { mechanism: 'SCRAM-SHA-512' as const, ...options.sasl } } : {}),
    })
    try {
      return await admin.listTopics()
    } finally {
      await admin.close().catch(() => {})
    }
  }

  /** Metadata of one topic as `principal`: a topic it may not describe is refused, not just hidden. */
  async function topicMetadataAs(principal: LocalPrincipal, topic: string) {
    const credentials = localKafkaCredentials(cluster, principal)
    const admin = new Admin({
      clientId: 'it-raw-metadata',
      bootstrapBrokers: [bootstrap],
      retries: 0,
      tls: { ca: readFileSync(credentials.caFile) },
      sasl: { mechanism: credentials.mechanism, username: credentials.username, password: credentials.password },
    })
    try {
      return await admin.metadata({ topics: [topic] })
    } finally {
      await admin.close().catch(() => {})
    }
  }

  before(async () => {
    homeDir = await mkdtemp(join(tmpdir(), 'kafka-local-secure-it-'))
    cluster = await startLocalKafka({ homeDir, name, basePort, security: 'sasl_ssl', readyTimeoutMs: 120_000 })
  })

  after(async () => {
    // Stopped by the pids in its record, data removed with the temp home.
    await stopLocalKafka({ homeDir, name, timeoutMs: 15_000, removeData: true })
    await rm(homeDir, { recursive: true, force: true })
  })

  it('records that the cluster is secure and keeps its secrets in 0600 files', () => {
    assert.equal(cluster.security?.protocol, 'SASL_SSL')
    assert.equal(cluster.security.mechanism, 'SCRAM-SHA-512')
    const secretFiles = [
      ...Object.values(cluster.security.clients),
      join(cluster.dir, 'security', 'secrets.json'),
      join(cluster.dir, 'security', 'broker.p12'),
      join(cluster.dir, 'node-1', 'server.properties'),
    ]
    for (const file of secretFiles) assert.equal(statSync(file).mode & 0o777, 0o600, file)
    assert.equal(statSync(join(cluster.dir, 'security')).mode & 0o777, 0o700)
    // The CA's private key was deleted after signing the broker certificate.
    assert.throws(() => statSync(join(cluster.dir, 'security', 'ca.p12')), /ENOENT/)
    const connection = localKafkaConnection({ homeDir, name }, 'weather')
    assert.equal(connection?.bootstrapServers, bootstrap)
    assert.equal(connection.credentials?.username, 'weather-streamer')
    const properties = readFileSync(cluster.security.clients.admin, 'utf8')
    assert.match(properties, /^security\.protocol=SASL_SSL$/m)
    assert.match(properties, /^sasl\.mechanism=SCRAM-SHA-512$/m)
  })

  it('refuses a client without credentials, with a wrong password, and plaintext on the TLS listener', async () => {
    // TLS but no SASL: the broker accepts nothing but the SASL handshake and drops the connection.
    await assert.rejects(listTopicsRaw({ tls: true }), (error: Error) => {
      assert.equal(protocolErrors(error).length, 0, String(error))
      assert.match(String((error as { code?: unknown }).code), /PLT_KFK_(MULTIPLE|NETWORK)/)
      return true
    })
    const admin = localKafkaCredentials(cluster, 'admin')
    await rejectsWith(
      listTopicsRaw({ tls: true, sasl: { username: admin.username, password: `${admin.password}x` } }),
      'SASL_AUTHENTICATION_FAILED',
    )
    await rejectsWith(
      listTopicsRaw({ tls: true, sasl: { username: 'nobody', password: admin.password } }),
      'SASL_AUTHENTICATION_FAILED',
    )
    // Right credentials, no TLS: the TLS listener never completes a Kafka exchange.
    await assert.rejects(
      listTopicsRaw({ tls: false, sasl: { username: admin.username, password: admin.password } }),
      (error: Error) => {
        // The broker answers plaintext bytes with a TLS alert and closes: the client either recognises the alert or
        // sees the connection closed mid-handshake. Either way no Kafka request was ever answered.
        const messages = errorMessages(error)
        assert.equal(protocolErrors(error).length, 0, messages.join(' | '))
        assert.ok(
          messages.some((m) => m === 'Broker requires TLS.' || m === 'Connection closed'),
          messages.join(' | '),
        )
        return true
      },
    )
    // Our own client surfaces the refusal too.
    await rejectsWith(clientAs('weather', 'wrong').admin().listTopics(), 'SASL_AUTHENTICATION_FAILED')
    // The right credentials work.
    assert.ok(
      Array.isArray(await listTopicsRaw({ tls: true, sasl: { username: admin.username, password: admin.password } })),
    )
  })

  it('lets the weather streamer produce to weather.* only, and create only weather.* topics', async () => {
    const weather = clientAs('weather')
    const admin = weather.admin()
    const producer = weather.producer()
    try {
      await admin.createTopics([{ name: 'weather.observations', partitions: 1 }], { ifNotExists: true })
      const [report] = await producer.send([
        { topic: 'weather.observations', key: Buffer.from('KSEA'), value: Buffer.from('{}') },
      ])
      assert.equal(report?.topic, 'weather.observations')
      await rejectsWith(
        admin.createTopics([{ name: 'sensors.weather-was-here', partitions: 1 }]),
        'TOPIC_AUTHORIZATION_FAILED',
      )
      await rejectsWith(admin.deleteTopics(['weather.observations']), 'TOPIC_AUTHORIZATION_FAILED')
      // Write-only: it cannot read back what it produced.
      await rejectsWith(
        admin.readRecords({ topic: 'weather.observations', partition: 0, from: 'earliest', limit: 1 }),
        'TOPIC_AUTHORIZATION_FAILED',
      )
    } finally {
      await producer.close()
      await admin.close()
    }
  })

  it('lets sensor analytics consume and produce transactionally in its own group and txn id prefix only', async () => {
    const analytics = clientAs('analytics')
    const admin = analytics.admin()
    await admin.createTopics(
      [
        { name: 'sensors.readings', partitions: 1 },
        { name: 'sensors.aggregates', partitions: 1 },
      ],
      { ifNotExists: true },
    )
    const simulator = clientAs('simulator').producer()
    await simulator.send([{ topic: 'sensors.readings', key: Buffer.from('s-1'), value: Buffer.from('{"v":1}') }])
    await simulator.close()

    const consumer = analytics.consumer({
      groupId: 'isobar-sensor-analytics-it',
      topics: ['sensors.readings'],
      from: 'earliest',
      autocommitMs: false,
      groupProtocol: 'classic',
    })
    const txProducer = analytics.transactionalProducer({ transactionalId: 'isobar-sensor-analytics-it-1' })
    try {
      let record: ConsumedRecord | undefined
      for await (const consumed of consumer) {
        record = consumed
        break
      }
      assert.equal(record?.value?.toString(), '{"v":1}')
      await txProducer.initTransactions()
      const txn = await txProducer.beginTransaction()
      await txn.send([{ topic: 'sensors.aggregates', key: Buffer.from('s-1'), value: Buffer.from('{"count":1}') }])
      await txn.sendOffsets(consumer, [record])
      await txn.commit()
    } finally {
      await txProducer.close()
      await consumer.close()
    }
    const adminAll = clientAs('admin').admin()
    try {
      // The transactional offset commit becomes visible once the commit markers are written: poll, bounded.
      const committed = await eventually(
        async () => {
          const offsets = await adminAll.groupOffsets('isobar-sensor-analytics-it', { requireStable: true })
          return offsets.map((o) => [o.topic, o.partition, o.offset])
        },
        (rows) => rows.length > 0,
      )
      assert.deepEqual(committed, [['sensors.readings', 0, 1n]])
      const read = await adminAll.readRecords({
        topic: 'sensors.aggregates',
        partition: 0,
        from: 'earliest',
        limit: 10,
      })
      assert.deepEqual(
        read.records.map((r) => r.value?.toString()),
        ['{"count":1}'],
      )
    } finally {
      await adminAll.close()
    }

    // Not its transactional id, not its group, not its topic to delete.
    const foreignTxn = analytics.transactionalProducer({ transactionalId: 'weather-streamer-1' })
    await rejectsWith(foreignTxn.initTransactions(), 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED')
    await foreignTxn.close().catch(() => {})
    const foreignGroup = analytics.consumer({ groupId: 'someone-else', topics: ['sensors.readings'], from: 'earliest' })
    await rejectsWith(
      (async () => {
        for await (const consumed of foreignGroup) return consumed
      })(),
      'GROUP_AUTHORIZATION_FAILED',
    )
    await foreignGroup.close().catch(() => {})
    await rejectsWith(admin.deleteTopics(['sensors.readings']), 'TOPIC_AUTHORIZATION_FAILED')
    await rejectsWith(
      admin.createTopics([{ name: 'weather.analytics-was-here', partitions: 1 }]),
      'TOPIC_AUTHORIZATION_FAILED',
    )
    await admin.close()
  })

  it('keeps the sensor simulator to writing sensors.readings', async () => {
    const simulator = clientAs('simulator')
    const admin = simulator.admin()
    const producer = simulator.producer()
    try {
      // Through our client the topic is simply invisible; the broker's answer is an authorization error.
      await assert.rejects(
        admin.readRecords({ topic: 'sensors.aggregates', partition: 0, from: 'earliest', limit: 1 }),
        /does not exist/,
      )
      await rejectsWith(topicMetadataAs('simulator', 'sensors.aggregates'), 'TOPIC_AUTHORIZATION_FAILED')
      await rejectsWith(
        producer.send([{ topic: 'sensors.aggregates', value: Buffer.from('forged') }]),
        'TOPIC_AUTHORIZATION_FAILED',
      )
      await rejectsWith(
        admin.createTopics([{ name: 'sensors.simulated', partitions: 1 }]),
        'TOPIC_AUTHORIZATION_FAILED',
      )
    } finally {
      await producer.close()
      await admin.close()
    }
  })

  it('lets the schema registry read and write _schemas, and nothing of the services', async () => {
    const registry = clientAs('registry')
    const admin = registry.admin()
    const producer = registry.producer()
    // What the registry's log does: a consumer without a group id (a throwaway isobar-anonymous-* group).
    const consumer = registry.consumer({ topics: ['_schemas'], from: 'earliest' })
    try {
      await admin.createTopics([{ name: '_schemas', partitions: 1, configs: { 'cleanup.policy': 'compact' } }], {
        ifNotExists: true,
      })
      await producer.send([{ topic: '_schemas', key: Buffer.from('{"keytype":"NOOP"}'), value: Buffer.from('{}') }])
      let record: ConsumedRecord | undefined
      for await (const consumed of consumer) {
        record = consumed
        break
      }
      assert.equal(record?.key?.toString(), '{"keytype":"NOOP"}')
      await rejectsWith(
        producer.send([{ topic: 'sensors.readings', value: Buffer.from('forged') }]),
        'TOPIC_AUTHORIZATION_FAILED',
      )
      await rejectsWith(topicMetadataAs('registry', 'sensors.readings'), 'TOPIC_AUTHORIZATION_FAILED')
    } finally {
      await consumer.close()
      await producer.close()
      await admin.close()
    }
  })

  it('stays secured across a restart without the option, with the same users and ACLs', async () => {
    await stopLocalKafka({ homeDir, name, timeoutMs: 15_000 })
    const restarted = await startLocalKafka({ homeDir, name, basePort, readyTimeoutMs: 120_000 })
    assert.equal(restarted.reused, false)
    assert.equal(restarted.clusterId, cluster.clusterId, 'storage kept, not re-formatted')
    assert.equal(restarted.security?.protocol, 'SASL_SSL')
    cluster = restarted
    const weather = clientAs('weather').admin()
    try {
      assert.ok((await weather.listTopics()).includes('weather.observations'))
      await rejectsWith(
        weather.createTopics([{ name: 'sensors.after-restart', partitions: 1 }]),
        'TOPIC_AUTHORIZATION_FAILED',
      )
    } finally {
      await weather.close()
    }
  })

  it('gives the admin (a super user) what no service has: creating and deleting any topic', async () => {
    const admin = clientAs('admin').admin()
    try {
      await admin.createTopics([{ name: 'admin.scratch', partitions: 1 }])
      await admin.deleteTopics(['admin.scratch'])
    } finally {
      await admin.close()
    }
  })
})
