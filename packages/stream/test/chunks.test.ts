import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ProducerRecord } from '@isobar/core'
import { MAX_SEND_BYTES, sendChunks } from '../src/chunks.ts'

const record = (bytes: number): ProducerRecord => ({ topic: 't', key: null, value: Buffer.alloc(bytes) })

describe('sendChunks', () => {
  it('keeps every record, in order, in chunks under the byte bound', () => {
    const records = Array.from({ length: 5000 }, (_, i) => record(100 + (i % 700)))
    const chunks = [...sendChunks(records)]
    assert.ok(chunks.length > 1, 'a commit above the bound is split')
    assert.deepEqual(chunks.flat(), records)
    for (const chunk of chunks) {
      const bytes = chunk.reduce((sum, r) => sum + (r.value?.length ?? 0) + 70, 0)
      assert.ok(bytes <= MAX_SEND_BYTES, `chunk of ${bytes} bytes`)
    }
  })

  it('sends a record larger than the bound alone rather than dropping it', () => {
    const chunks = [...sendChunks([record(10), record(2000), record(10)], 1000)]
    assert.deepEqual(
      chunks.map((c) => c.map((r) => r.value?.length)),
      [[10], [2000], [10]],
    )
  })

  it('yields nothing for nothing', () => {
    assert.deepEqual([...sendChunks([])], [])
  })
})
