/**
 * Registers the catalogue's schemas: sets each subject's compatibility, then registers its versions in order
 * (idempotent: re-running returns the same ids). Services call it at start-up; `isobar schemas register --all`
 * too.
 */
import type { SchemaRegistryClient } from '@isobar/core'
import { SUBJECT_COMPATIBILITY, TOPICS } from './topics.ts'

export interface RegisteredSubject {
  subject: string
  /** Schema ids of the catalogue's versions, oldest first. */
  ids: number[]
}

export async function registerCatalogue(
  client: SchemaRegistryClient,
  options: { topics?: readonly string[] } = {},
): Promise<RegisteredSubject[]> {
  const result: RegisteredSubject[] = []
  for (const spec of TOPICS) {
    if (!spec.valueSubject || (options.topics && !options.topics.includes(spec.topic))) continue
    await client.setConfig(spec.valueSubject, SUBJECT_COMPATIBILITY)
    const ids: number[] = []
    for (const schema of spec.schemas) ids.push(await client.register(spec.valueSubject, { schema }))
    result.push({ subject: spec.valueSubject, ids })
  }
  return result
}
