import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { inOrder, medianRound, phaseLabel, roundOrder } from '../src/rounds.ts'

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
})
