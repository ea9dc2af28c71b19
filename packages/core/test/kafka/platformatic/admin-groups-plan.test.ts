import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Admin as PltAdmin } from '@platformatic/kafka'
import { parseKafkaConfig } from '../../../src/config/kafka-config.ts'
import { planGroupOffsetReset, type GroupContext } from '../../../src/kafka/platformatic/admin-groups.ts'
import type { OffsetResetTarget } from '../../../src/kafka/types.ts'

// A pure unit test: a fake client for one classic group with one member and committed offsets on two partitions.
function context(members: number): GroupContext {
  const plt = {
    listGroups: () =>
      Promise.resolve(new Map([['g', { id: 'g', groupType: 'classic', state: 'Stable', protocolType: 'consumer' }]])),
    listConsumerGroupOffsets: () =>
      Promise.resolve([
        {
          topics: [
            {
              name: 't',
              partitions: [
                { partitionIndex: 0, committedOffset: 40n },
                { partitionIndex: 1, committedOffset: 5n },
              ],
            },
          ],
        },
      ]),
  } as unknown as PltAdmin
  return {
    plt,
    config: parseKafkaConfig({ bootstrapServers: ['127.0.0.1:1'] }),
    describeGroup: (groupId) =>
      Promise.resolve({
        groupId,
        type: 'classic',
        state: members > 0 ? 'Stable' : 'Empty',
        protocol: 'range',
        members: Array.from({ length: members }, (_, i) => ({
          memberId: `m${i}`,
          instanceId: null,
          clientId: 'c',
          clientHost: 'h',
          assignment: [],
        })),
      }),
    topics: {
      describeTopics: () => Promise.reject(new Error('not used')),
      listOffsets: () =>
        Promise.resolve([
          { partition: 0, earliest: 10n, latest: 100n },
          { partition: 1, earliest: 20n, latest: 30n },
          { partition: 2, earliest: 0n, latest: 0n },
        ]),
      offsetsForTimestamp: () =>
        Promise.resolve([
          { partition: 0, offset: 70n },
          { partition: 1, offset: null },
          { partition: 2, offset: null },
        ]),
    },
  }
}

const plan = (target: OffsetResetTarget, partitions?: number[], members = 1) =>
  planGroupOffsetReset(context(members), 'g', 't', target, partitions)

test('a reset plan: per partition the committed offset → the new one and the lag before and after', async () => {
  const earliest = await plan({ to: 'earliest' })
  assert.equal(earliest.activeMembers, 1)
  assert.deepEqual(
    earliest.partitions.map((p) => [p.partition, p.currentOffset, p.newOffset, p.lagBefore, p.lagAfter]),
    [
      [0, 40n, 10n, 60n, 90n],
      [1, 5n, 20n, 10n, 10n], // committed below the log start: the lag counts from the earliest offset
      [2, null, 0n, null, 0n],
    ],
  )
  const rows = async (target: OffsetResetTarget) =>
    (await plan(target, [0, 1])).partitions.map((p) => [p.newOffset, p.lagAfter])
  assert.deepEqual(await rows({ to: 'latest' }), [
    [100n, 0n],
    [30n, 0n],
  ])
  assert.deepEqual(await rows({ to: 'timestamp', timestamp: 1 }), [
    [70n, 30n],
    [30n, 0n], // nothing that recent: the end of the partition
  ])
  assert.deepEqual(await rows({ to: 'offset', offset: 25n }), [
    [25n, 75n],
    [25n, 5n],
  ])
  assert.deepEqual(await rows({ to: 'offset', offset: 500n }), [
    [100n, 0n],
    [30n, 0n],
  ])
  assert.equal((await plan({ to: 'latest' }, undefined, 0)).activeMembers, 0)
  await assert.rejects(plan({ to: 'latest' }, [0, 7]), /Partitions 7 do not exist in t/)
})
