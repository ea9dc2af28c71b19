import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AssignmentWatchdog } from '../src/assignment-watchdog.ts'
import { AssignmentNotActiveError } from '../src/errors.ts'

const join = (generationId: number, partitions: number[]) => ({
  generationId,
  assigned: partitions.map((partition) => ({ topic: 'in', partition })),
})

describe('AssignmentWatchdog', () => {
  it('reports partitions the group assigned but the runner has no task for, once the grace period passed', () => {
    const watchdog = new AssignmentWatchdog(10_000)
    const active = { generationId: 7, checkGeneration: true, assignment: new Set<number>(), tasks: new Set<number>() }
    assert.equal(watchdog.check(0, join(7, [0, 2]), [], active), undefined)
    assert.equal(watchdog.check(9_999, join(7, [0, 2]), [], active), undefined)
    const error = watchdog.check(10_000, join(7, [0, 2]), [], active)
    assert.ok(error instanceof AssignmentNotActiveError)
    assert.deepEqual(error.details, { generationId: 7, assigned: [0, 2], active: [], forMs: 10_000 })
  })

  it('reports a join whose generation the runner never applied (exactly-once), not before the grace period', () => {
    const watchdog = new AssignmentWatchdog(5_000)
    const active = { generationId: 3, checkGeneration: true, assignment: new Set([1]), tasks: new Set([1]) }
    assert.equal(watchdog.check(100, join(4, [1]), [], active), undefined)
    assert.ok(watchdog.check(5_100, join(4, [1]), [], active) instanceof AssignmentNotActiveError)
    // At-least-once does not commit against the generation: the same view is fine there.
    const fresh = new AssignmentWatchdog(5_000)
    assert.equal(fresh.check(100, join(4, [1]), [], { ...active, checkGeneration: false }), undefined)
    assert.equal(fresh.check(60_000, join(4, [1]), [], { ...active, checkGeneration: false }), undefined)
  })

  it('a difference that clears within the grace period starts the clock over', () => {
    const watchdog = new AssignmentWatchdog(5_000)
    const behind = { generationId: 1, checkGeneration: true, assignment: new Set([0]), tasks: new Set([0]) }
    const current = { ...behind, generationId: 2 }
    assert.equal(watchdog.check(0, join(2, [0]), [], behind), undefined)
    assert.equal(watchdog.check(4_000, join(2, [0]), [], current), undefined)
    assert.equal(watchdog.check(8_000, join(2, [0]), [], behind), undefined)
    assert.ok(watchdog.check(13_000, join(2, [0]), [], behind) instanceof AssignmentNotActiveError)
  })

  it('without a join (KIP-848) compares the client assignment; before the first assignment it stays quiet', () => {
    const watchdog = new AssignmentWatchdog(1_000)
    const none = { generationId: undefined, checkGeneration: false, assignment: undefined, tasks: new Set<number>() }
    assert.equal(watchdog.check(0, undefined, [{ partition: 0 }], none), undefined)
    assert.equal(watchdog.check(60_000, undefined, [{ partition: 0 }], none), undefined)
    const applied = { ...none, assignment: new Set([0]), tasks: new Set([0]) }
    assert.equal(watchdog.check(0, undefined, [{ partition: 0 }, { partition: 1 }], applied), undefined)
    const error = watchdog.check(1_000, undefined, [{ partition: 0 }, { partition: 1 }], applied)
    assert.deepEqual(error?.details, { assigned: [0, 1], active: [0], forMs: 1_000 })
  })
})
