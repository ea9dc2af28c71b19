import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  RegistryRequestError,
  SerdeErrorCodes,
  SubjectSchemaIds,
  UnknownSchemaIdError,
  type SchemaUsageSource,
} from '@isobar/core'

/** Pure unit test: a fake registry answering GET /schemas/ids/{id}/versions from a table, counting calls. */
function fakeRegistry(usages: Record<number, Array<{ subject: string; version: number }>>) {
  const calls: number[] = []
  let down = false
  const source: SchemaUsageSource = {
    getSchemaUsages: (id) => {
      calls.push(id)
      if (down) return Promise.reject(new RegistryRequestError('GET', '/schemas/ids', 0, 0, 'not reachable'))
      const found = usages[id]
      return found ? Promise.resolve(found) : Promise.reject(new UnknownSchemaIdError(id))
    },
    listVersions: () => Promise.resolve([1]),
    getVersion: (subject, version) =>
      Promise.resolve({ subject, version: Number(version), id: 5, schema: '{}', schemaType: 'JSON', references: [] }),
  }
  return { source, calls, setDown: (value: boolean) => (down = value) }
}

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn()
    return undefined
  } catch (error) {
    return (error as { code?: string }).code
  }
}

test('SubjectSchemaIds: a version of the subject passes; another subject’s id and unknown ids are poison', async () => {
  const { source, calls } = fakeRegistry({
    7: [{ subject: 'sensors.readings-value', version: 3 }],
    9: [{ subject: 'weather.observations-value', version: 1 }],
  })
  let now = 0
  const ids = new SubjectSchemaIds({ registry: source, subject: 'sensors.readings-value', clock: () => now })
  for (const id of [7, 9, 0, 999_999, 2 ** 32 - 1]) assert.equal(ids.check(id), false, `id ${id} not looked up yet`)
  await Promise.all([7, 9, 0, 999_999, 2 ** 32 - 1].map((id) => ids.resolve(id)))
  assert.equal(ids.check(7), true)
  assert.equal(
    codeOf(() => ids.check(9)),
    SerdeErrorCodes.WRONG_SUBJECT,
  )
  assert.throws(() => ids.check(9), /schema id 9 is not a version of sensors.readings-value .*weather.observations/)
  for (const id of [0, 999_999, 2 ** 32 - 1])
    assert.equal(
      codeOf(() => ids.check(id)),
      SerdeErrorCodes.UNKNOWN_SCHEMA_ID,
    )
  // Cached: checking again asks nothing.
  const asked = calls.length
  ids.check(7)
  assert.throws(() => ids.check(9))
  assert.equal(calls.length, asked)
  // A refusal expires (the id may be registered under the subject later); a version stays accepted.
  now += 61_000
  assert.equal(ids.check(9), false)
  assert.equal(ids.check(7), true)
})

test('SubjectSchemaIds: registry unreachable is transient (rejects, caches nothing); no registry refuses framed ids', async () => {
  const { source, setDown } = fakeRegistry({ 7: [{ subject: 's-value', version: 1 }] })
  const ids = new SubjectSchemaIds({ registry: source, subject: 's-value' })
  setDown(true)
  await assert.rejects(
    ids.resolve(7),
    (e: Error & { code?: string }) => e.code === SerdeErrorCodes.REGISTRY_REQUEST_FAILED,
  )
  assert.equal(ids.check(7), false)
  setDown(false)
  await ids.verify(7)
  assert.equal(ids.check(7), true)
  const none = new SubjectSchemaIds({ registry: undefined, subject: 's-value' })
  assert.equal(
    codeOf(() => none.check(7)),
    SerdeErrorCodes.UNKNOWN_SCHEMA_ID,
  )
})

test('SubjectSchemaIds.preload learns the subject’s versions without a lookup per id', async () => {
  const { source, calls } = fakeRegistry({})
  const ids = new SubjectSchemaIds({ registry: source, subject: 's-value' })
  await ids.preload()
  assert.equal(ids.check(5), true)
  assert.deepEqual(calls, [])
})
