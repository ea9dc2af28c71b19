import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  bootstrapServers,
  clusterLayout,
  defaultBasePort,
  escapePropertyValue,
  initialControllers,
  serverProperties,
} from '../src/config.ts'
import { isKafkaLocalError, KafkaLocalErrorCodes } from '../src/errors.ts'

function parse(text: string): Map<string, string> {
  const entries = text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const)
  return new Map(entries)
}

describe('unit: kafka-local config', () => {
  it('lays out one node on basePort and basePort+1', () => {
    const [node, ...rest] = clusterLayout('/x/kafka/dev', 1, 9092)
    assert.equal(rest.length, 0)
    assert.deepEqual(node, {
      nodeId: 1,
      port: 9092,
      controllerPort: 9093,
      dir: '/x/kafka/dev/node-1',
      dataDir: '/x/kafka/dev/node-1/data',
    })
    assert.equal(defaultBasePort(1), 9092)
  })

  it('lays out three nodes two ports apart', () => {
    const layout = clusterLayout('/x', 3, defaultBasePort(3))
    assert.deepEqual(
      layout.map((node) => [node.nodeId, node.port, node.controllerPort]),
      [
        [1, 19092, 19093],
        [2, 19094, 19095],
        [3, 19096, 19097],
      ],
    )
    assert.equal(bootstrapServers(layout), '127.0.0.1:19092,127.0.0.1:19094,127.0.0.1:19096')
  })

  it('rejects node counts other than 1 and 3, and ports out of range', () => {
    for (const call of [
      () => clusterLayout('/x', 2 as 1, 9092),
      () => clusterLayout('/x', 1, 80),
      () => clusterLayout('/x', 3, 32764),
      () => clusterLayout('/x', 1, 9092.5),
    ]) {
      assert.throws(call, (error) => isKafkaLocalError(error, KafkaLocalErrorCodes.INVALID_OPTION))
    }
  })

  it('generates a combined single-node config with RF 1 internal topics', () => {
    const props = parse(serverProperties(clusterLayout('/d', 1, 29392), 1))
    const expected: Record<string, string> = {
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.bootstrap.servers': '127.0.0.1:29393',
      listeners: 'PLAINTEXT://127.0.0.1:29392,CONTROLLER://127.0.0.1:29393',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:29392,CONTROLLER://127.0.0.1:29393',
      'controller.listener.names': 'CONTROLLER',
      'inter.broker.listener.name': 'PLAINTEXT',
      'log.dirs': '/d/node-1/data',
      'default.replication.factor': '1',
      'min.insync.replicas': '1',
      'offsets.topic.replication.factor': '1',
      'offsets.topic.num.partitions': '10',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'share.coordinator.state.topic.replication.factor': '1',
      'share.coordinator.state.topic.min.isr': '1',
      'group.initial.rebalance.delay.ms': '0',
      'auto.create.topics.enable': 'false',
      'log.cleaner.dedupe.buffer.size': '33554432',
      'num.network.threads': '2',
      'num.io.threads': '4',
    }
    for (const [key, value] of Object.entries(expected)) assert.equal(props.get(key), value, key)
    assert.ok(Number(props.get('transaction.state.log.num.partitions')) <= 10)
    assert.equal(props.has('controller.quorum.voters'), false, 'static and dynamic quorum configs exclude each other')
  })

  it('generates per-node configs for three nodes with RF 3 and min ISR 2', () => {
    const layout = clusterLayout('/d', 3, 19092)
    const props = parse(serverProperties(layout, 2))
    assert.equal(props.get('node.id'), '2')
    assert.equal(props.get('controller.quorum.bootstrap.servers'), '127.0.0.1:19093,127.0.0.1:19095,127.0.0.1:19097')
    assert.equal(props.get('listeners'), 'PLAINTEXT://127.0.0.1:19094,CONTROLLER://127.0.0.1:19095')
    assert.equal(props.get('log.dirs'), '/d/node-2/data')
    assert.equal(props.get('default.replication.factor'), '3')
    assert.equal(props.get('min.insync.replicas'), '2')
    assert.equal(props.get('offsets.topic.replication.factor'), '3')
    assert.equal(props.get('transaction.state.log.min.isr'), '2')
    assert.equal(props.get('share.coordinator.state.topic.min.isr'), '2')
  })

  it('lets extra broker config override the generated entries', () => {
    const text = serverProperties(clusterLayout('/d', 1, 9092), 1, { 'num.io.threads': 8, 'log.retention.ms': 1000 })
    const props = parse(text)
    assert.equal(props.get('num.io.threads'), '8')
    assert.equal(props.get('log.retention.ms'), '1000')
    assert.equal(text.match(/^num\.io\.threads=/gm)?.length, 1)
  })

  it('rejects an unknown node id', () => {
    assert.throws(
      () => serverProperties(clusterLayout('/d', 1, 9092), 2),
      (error) => isKafkaLocalError(error, KafkaLocalErrorCodes.INVALID_OPTION),
    )
  })

  it('builds --initial-controllers as id@host:port:directoryId', () => {
    const layout = clusterLayout('/d', 3, 19092)
    assert.equal(
      initialControllers(layout, ['AAAAAAAAAAAAAAAAAAAAAA', 'BBBBBBBBBBBBBBBBBBBBBB', 'CCCCCCCCCCCCCCCCCCCCCC']),
      '1@127.0.0.1:19093:AAAAAAAAAAAAAAAAAAAAAA,2@127.0.0.1:19095:BBBBBBBBBBBBBBBBBBBBBB,3@127.0.0.1:19097:CCCCCCCCCCCCCCCCCCCCCC',
    )
  })

  it('escapes property values the way java.util.Properties reads them', () => {
    assert.equal(escapePropertyValue('/plain/path:with=chars'), '/plain/path:with=chars')
    assert.equal(escapePropertyValue('C:\\kafka\\data'), 'C:\\\\kafka\\\\data')
    assert.equal(escapePropertyValue(' lead'), '\\ lead')
    assert.equal(escapePropertyValue('/home/zoë'), '/home/zo\\u00eb')
    assert.equal(escapePropertyValue('a\nb'), 'a\\nb')
  })
})
