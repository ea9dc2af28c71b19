import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { checkJsonSchemas, type JsonCheckedSchema } from '../../src/compatibility/json-check.ts'
import {
  checkAgainst,
  COMPATIBILITY_LEVELS,
  directionsOf,
  parseCompatibilityLevel,
  versionsToCheck,
  type CompatibilityLevel,
} from '../../src/compatibility/levels.ts'

const json = (version: number, parsed: unknown): JsonCheckedSchema => ({
  version,
  schemaType: 'JSON',
  text: JSON.stringify(parsed),
  parsed,
  references: new Map(),
})

describe('unit compatibility levels', () => {
  test('which previous versions each level checks', () => {
    const live = [1, 2, 3]
    const expected: Record<CompatibilityLevel, number[]> = {
      NONE: [],
      BACKWARD: [3],
      FORWARD: [3],
      FULL: [3],
      BACKWARD_TRANSITIVE: [3, 2, 1],
      FORWARD_TRANSITIVE: [3, 2, 1],
      FULL_TRANSITIVE: [3, 2, 1],
    }
    for (const level of COMPATIBILITY_LEVELS) assert.deepEqual(versionsToCheck(level, live), expected[level], level)
    assert.deepEqual(versionsToCheck('BACKWARD', []), [])
  })

  test('directions per level', () => {
    assert.deepEqual(directionsOf('NONE'), [])
    assert.deepEqual(directionsOf('BACKWARD_TRANSITIVE'), ['backward'])
    assert.deepEqual(directionsOf('FORWARD'), ['forward'])
    assert.deepEqual(directionsOf('FULL_TRANSITIVE'), ['backward', 'forward'])
  })

  test('levels parse case-insensitively', () => {
    assert.equal(parseCompatibilityLevel('full_transitive'), 'FULL_TRANSITIVE')
    assert.equal(parseCompatibilityLevel('sideways'), undefined)
    assert.equal(parseCompatibilityLevel(3), undefined)
  })

  test('reader and writer roles per direction, first failing version reported', () => {
    const calls: string[] = []
    const check = (reader: JsonCheckedSchema, writer: JsonCheckedSchema): string[] => {
      calls.push(`${reader.version}<-${writer.version}`)
      return writer.version === 1 && reader.version === 9 ? ['{errorType:"X", description:"boom"}'] : []
    }
    const candidate = json(9, {})
    const previous = versionsToCheck('FULL_TRANSITIVE', [json(1, {}), json(2, {})])
    const result = checkAgainst('FULL_TRANSITIVE', candidate, previous, check)
    assert.deepEqual(calls, ['9<-2', '2<-9', '9<-1', '1<-9'])
    assert.equal(result.compatible, false)
    assert.equal(result.messages[0], '{errorType:"X", description:"boom"}')
    assert.ok(result.messages.includes('{oldSchemaVersion: 1}'))
    assert.ok(result.messages.includes("{validateFields: 'false', compatibility: 'FULL_TRANSITIVE'}"))
  })

  test('a different schema type is incompatible', () => {
    const avro: JsonCheckedSchema = { ...json(1, {}), schemaType: 'AVRO' }
    const result = checkAgainst('BACKWARD', json(2, {}), [avro], checkJsonSchemas)
    assert.equal(result.compatible, false)
    assert.match(result.messages[0] ?? '', /different schema type/)
  })

  test('transitive levels catch what the latest-only level misses (LENIENT)', () => {
    const v1 = json(1, { type: 'object', properties: { a: { type: 'string' } } })
    const v2 = json(2, { type: 'object', properties: {} })
    const v3 = json(3, { type: 'object', properties: { a: { type: 'integer' } } })
    const live = [v1, v2]
    const latest = checkAgainst('BACKWARD', v3, versionsToCheck('BACKWARD', live), checkJsonSchemas, 'LENIENT')
    const all = checkAgainst(
      'BACKWARD_TRANSITIVE',
      v3,
      versionsToCheck('BACKWARD_TRANSITIVE', live),
      checkJsonSchemas,
      'LENIENT',
    )
    assert.equal(latest.compatible, true)
    assert.equal(all.compatible, false)
    assert.match(all.messages[0] ?? '', /TYPE_CHANGED/)
    assert.ok(all.messages.includes('{oldSchemaVersion: 1}'))
  })

  test('real JSON schemas per level', () => {
    const v1 = json(1, { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false })
    const v2 = json(2, {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'string' } },
      additionalProperties: false,
    })
    const verdict = (level: CompatibilityLevel): boolean =>
      checkAgainst(level, v2, versionsToCheck(level, [v1]), checkJsonSchemas).compatible
    assert.equal(verdict('NONE'), true)
    assert.equal(verdict('BACKWARD'), true)
    assert.equal(verdict('BACKWARD_TRANSITIVE'), true)
    assert.equal(verdict('FORWARD'), false)
    assert.equal(verdict('FORWARD_TRANSITIVE'), false)
    assert.equal(verdict('FULL'), false)
    assert.equal(verdict('FULL_TRANSITIVE'), false)
  })
})
