import { RegistryRequestError, type SchemaSource, type SubjectVersion } from '@isobar/core'

/** Runs `fn` as if it were an async call: a throw becomes a rejection. */
function settle<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => resolve(fn()))
}

/** An in-memory SchemaSource: enough registry for serde unit tests (the real server is tested in @isobar/schemas). */
export function stubRegistry(): SchemaSource & { calls: string[]; failNext: (status: number) => void } {
  const byId = new Map<number, string>()
  const subjects = new Map<string, number[]>()
  const calls: string[] = []
  let failure: number | undefined
  const maybeFail = (what: string) => {
    calls.push(what)
    if (failure !== undefined) {
      const status = failure
      failure = undefined
      throw new RegistryRequestError('GET', what, status, status * 100 + 1, 'stub failure')
    }
  }
  const idOf = (text: string) => {
    for (const [id, s] of byId) if (s === text) return id
    const id = byId.size + 1
    byId.set(id, text)
    return id
  }
  const text = (schema: string | object) => (typeof schema === 'string' ? schema : JSON.stringify(schema))
  const version = (subject: string, id: number): SubjectVersion => ({
    subject,
    id,
    version: (subjects.get(subject) ?? []).indexOf(id) + 1,
    schema: byId.get(id) ?? '',
    schemaType: 'JSON',
    references: [],
  })
  return {
    calls,
    failNext: (status) => (failure = status),
    register(subject, input) {
      return settle(() => {
        maybeFail(`register ${subject}`)
        const id = idOf(text(input.schema))
        const ids = subjects.get(subject) ?? []
        if (!ids.includes(id)) subjects.set(subject, [...ids, id])
        return id
      })
    },
    lookup(subject, input) {
      return settle(() => {
        maybeFail(`lookup ${subject}`)
        const id = idOf(text(input.schema))
        if (!(subjects.get(subject) ?? []).includes(id)) {
          throw new RegistryRequestError('POST', `/subjects/${subject}`, 404, 40403, 'Schema not found')
        }
        return version(subject, id)
      })
    },
    getSchemaById(id) {
      return settle(() => {
        maybeFail(`id ${id}`)
        const schema = byId.get(id)
        if (schema === undefined) throw new RegistryRequestError('GET', `/schemas/ids/${id}`, 404, 40403, 'not found')
        return { id, schema, schemaType: 'JSON', references: [] }
      })
    },
    getVersion(subject) {
      return settle(() => {
        maybeFail(`latest ${subject}`)
        const ids = subjects.get(subject) ?? []
        const last = ids.at(-1)
        if (last === undefined) throw new RegistryRequestError('GET', subject, 404, 40401, 'Subject not found')
        return version(subject, last)
      })
    },
  }
}

export const pointSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: { id: { type: 'string' }, valueC: { type: 'number', minimum: -273.15 } },
  required: ['id', 'valueC'],
  additionalProperties: false,
}
