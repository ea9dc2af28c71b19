import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isKafkaUuid, randomKafkaUuid } from '../src/uuid.ts'

describe('unit: kafka-local uuid', () => {
  it('produces 22-char base64url ids of 16 bytes that never start with "-"', () => {
    const ids = new Set<string>()
    for (let i = 0; i < 2000; i++) {
      const id = randomKafkaUuid()
      assert.ok(isKafkaUuid(id), id)
      assert.ok(!id.startsWith('-'), id)
      const bytes = Buffer.from(id, 'base64url')
      assert.equal((bytes[6] ?? 0) >> 4, 4, 'version 4')
      assert.equal((bytes[8] ?? 0) >> 6, 2, 'IETF variant')
      ids.add(id)
    }
    assert.equal(ids.size, 2000)
  })

  it('rejects strings that are not Kafka uuids', () => {
    assert.equal(isKafkaUuid('not-a-uuid'), false)
    assert.equal(isKafkaUuid('6a3f2e1c-0000-4000-8000-000000000000'), false)
  })
})
