import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { laneOrder, parseClients, peersOf } from '../src/peers/clients.ts'
import { summarizePeers } from '../src/peers/run-peer.ts'

describe('unit: --clients', () => {
  it('accepts the four clients in any order and keeps it', () => {
    assert.deepEqual(parseClients('isobar,java,kafkajs,confluent'), ['isobar', 'java', 'kafkajs', 'confluent'])
    assert.deepEqual(parseClients(' java , kafkajs,isobar'), ['java', 'kafkajs', 'isobar'])
    assert.deepEqual(peersOf(parseClients('confluent,isobar,java')), ['confluent'])
  })

  it('refuses unknown, repeated or missing reference clients with a message naming them', () => {
    assert.throws(
      () => parseClients('isobar,java,rdkafka'),
      /unknown client "rdkafka" \(expected isobar, java, kafkajs/,
    )
    assert.throws(() => parseClients('isobar,java,java'), /client "java" is listed twice/)
    assert.throws(() => parseClients('isobar,kafkajs'), /clients must include java/)
    assert.throws(() => parseClients('java,kafkajs'), /clients must include isobar/)
    assert.throws(() => parseClients(''), /unknown client ""/)
  })

  it('rotates the lanes one step per round so every lane goes first in turn', () => {
    const lanes = ['java', 'isobar', 'kafkajs']
    assert.deepEqual(
      [0, 1, 2, 3].map((r) => laneOrder(lanes, r)),
      [
        ['java', 'isobar', 'kafkajs'],
        ['isobar', 'kafkajs', 'java'],
        ['kafkajs', 'java', 'isobar'],
        ['java', 'isobar', 'kafkajs'],
      ],
    )
    // Two lanes: the old alternation, Kafka first in odd rounds.
    assert.deepEqual(laneOrder(['java', 'isobar'], 1), ['isobar', 'java'])
  })
})

describe('unit: summarizePeers', () => {
  it('reports each peer from the round with its median ratio to that round Java rate', () => {
    const side = (client: 'kafkajs' | 'confluent', recordsPerSec: number) => ({
      client,
      records: 10,
      recordsPerSec,
      mbPerSec: 1,
      seconds: 1,
      cpuSeconds: 1,
      cpuCores: 1,
      peakRssMiB: 1,
    })
    const peers = summarizePeers([
      { javaRecordsPerSec: 100, peers: [side('kafkajs', 50), side('confluent', 90)] },
      { javaRecordsPerSec: 200, peers: [side('kafkajs', 40), side('confluent', 220)] },
      { javaRecordsPerSec: 100, peers: [side('kafkajs', 30), side('confluent', 100)] },
    ])
    assert.deepEqual(
      peers.map((p) => [p.client, p.ratio, p.recordsPerSec, p.ratios]),
      [
        ['kafkajs', 0.3, 30, [0.5, 0.2, 0.3]],
        ['confluent', 1, 100, [0.9, 1.1, 1]],
      ],
    )
  })
})
