import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { inOrder, laneRank, medianRound, phaseLabel, roundOrder, roundRows, runLanes } from '../src/rounds.ts'

describe('unit: rounds', () => {
  it('alternates the order, Kafka first', () => {
    assert.deepEqual([0, 1, 2, 3].map(roundOrder), ['kafka-first', 'isobar-first', 'kafka-first', 'isobar-first'])
  })

  it('reports the round with the median ratio (lower middle when even)', () => {
    const r = (ratio: number) => ({ ratio })
    assert.equal(medianRound([r(1.2), r(0.8), r(1.0)]).ratio, 1.0)
    assert.equal(medianRound([r(1.2), r(0.8)]).ratio, 0.8)
    assert.equal(medianRound([r(3)]).ratio, 3)
    assert.throws(() => medianRound([]))
  })

  it('runs the sides in the order asked', async () => {
    const calls: string[] = []
    const kafka = () => Promise.resolve(calls.push('kafka'))
    const isobar = () => Promise.resolve(calls.push('isobar'))
    await inOrder('kafka-first', kafka, isobar)
    await inOrder('isobar-first', kafka, isobar)
    assert.deepEqual(calls, ['kafka', 'isobar', 'isobar', 'kafka'])
  })

  it('numbers phases only when there are several rounds', () => {
    assert.equal(phaseLabel('kafka produce', 0, 1), 'kafka produce')
    assert.equal(phaseLabel('kafka produce', 1, 3), 'kafka produce 2/3')
  })

  it('runs the lanes one after the other, rotated per round, and hands back every side', async () => {
    const calls: string[] = []
    const lane =
      <T>(name: string, side: T) =>
      async (): Promise<T> => {
        calls.push(`${name} start`)
        await new Promise((resolve) => setImmediate(resolve))
        calls.push(`${name} end`)
        return side
      }
    const lanes = {
      java: lane('java', { recordsPerSec: 100 }),
      isobar: lane('isobar', { recordsPerSec: 90 }),
      peers: [['kafkajs', lane('kafkajs', { client: 'kafkajs' })]] as const,
    }
    const first = await runLanes(0, lanes)
    assert.deepEqual(calls, ['java start', 'java end', 'isobar start', 'isobar end', 'kafkajs start', 'kafkajs end'])
    assert.deepEqual(first, {
      order: 'kafka-first',
      lanes: ['java', 'isobar', 'kafkajs'],
      kafka: { recordsPerSec: 100 },
      isobar: { recordsPerSec: 90 },
      peers: [{ client: 'kafkajs' }],
    })
    const second = await runLanes(1, lanes)
    assert.deepEqual([second.order, second.lanes], ['isobar-first', ['isobar', 'kafkajs', 'java']])
    const third = await runLanes(2, lanes)
    assert.deepEqual([third.order, third.lanes], ['kafka-first', ['kafkajs', 'java', 'isobar']])
    assert.equal(
      laneRank(
        [
          ['java', 0],
          ['isobar', 0],
        ],
        'isobar',
      ),
      1,
    )
  })

  it('a failing lane fails the round; nothing after it runs', async () => {
    const ran: string[] = []
    await assert.rejects(
      runLanes(0, {
        java: () => Promise.reject(new Error('java tool exited 1')),
        isobar: () => Promise.resolve(ran.push('isobar')),
        peers: [],
      }),
      /java tool exited 1/,
    )
    assert.deepEqual(ran, [])
  })

  it('lists rounds as rows of order, lanes and both rates', () => {
    const round = {
      order: 'isobar-first' as const,
      lanes: ['isobar' as const, 'java' as const],
      isobar: { recordsPerSec: 90, extra: 1 },
      kafka: { recordsPerSec: 100 },
      peers: [],
      ratio: 0.9,
    }
    assert.deepEqual(roundRows([round]), [
      {
        order: 'isobar-first',
        lanes: ['isobar', 'java'],
        isobarRecordsPerSec: 90,
        kafkaRecordsPerSec: 100,
        ratio: 0.9,
      },
    ])
  })
})
