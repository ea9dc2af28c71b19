import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DLQ_HEADERS, SerdeErrorCodes } from '@isobar/core'
import { readDeadLetterEnvelope } from '@isobar/schemas'

const b = (s: string) => Buffer.from(s)

describe('readDeadLetterEnvelope', () => {
  it('turns dlq headers into a typed envelope, numbers included', () => {
    const envelope = readDeadLetterEnvelope({
      [DLQ_HEADERS.errorCode]: b(SerdeErrorCodes.INVALID_JSON),
      [DLQ_HEADERS.errorMessage]: b('payload of schema id 3 is not valid JSON'),
      [DLQ_HEADERS.stage]: b('consume'),
      [DLQ_HEADERS.schemaId]: b('3'),
      [DLQ_HEADERS.originalTopic]: b('sensors.readings'),
      [DLQ_HEADERS.originalPartition]: b('4'),
      [DLQ_HEADERS.originalOffset]: b('9007199254740993'),
      [DLQ_HEADERS.originalTimestamp]: b('1764064380000'),
      unrelated: b('kept out'),
    })
    assert.deepEqual(envelope, {
      errorCode: SerdeErrorCodes.INVALID_JSON,
      errorMessage: 'payload of schema id 3 is not valid JSON',
      stage: 'consume',
      schemaId: 3,
      originalTopic: 'sensors.readings',
      originalPartition: 4,
      originalOffset: '9007199254740993',
      originalTimestamp: 1_764_064_380_000,
    })
  })

  it('refuses records that are not dead letters', () => {
    assert.throws(
      () => readDeadLetterEnvelope({ [DLQ_HEADERS.errorCode]: b('X'), [DLQ_HEADERS.stage]: b('later') }),
      (e: { code?: string }) => e.code === SerdeErrorCodes.SCHEMA_VIOLATION,
    )
  })
})
