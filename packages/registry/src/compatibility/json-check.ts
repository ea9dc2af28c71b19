/** JSON Schema reader/writer check for `checkAgainst`: a diff (writer = original, reader = update). */
import type { ReferencedDocuments } from './deref.ts'
import { describeDifference, incompatibleDifferences, type CompatibilityPolicy } from './differences.ts'
import { diffSchemas, type DiffOptions } from './json-diff.ts'
import type { CheckedSchema } from './levels.ts'

export interface JsonCheckedSchema extends CheckedSchema {
  /** The parsed schema document. */
  parsed: unknown
  /** Documents its `$ref`s may name (resolved registry references). */
  references: ReferencedDocuments
}

export function checkJsonSchemas(
  reader: JsonCheckedSchema,
  writer: JsonCheckedSchema,
  policy: CompatibilityPolicy,
  limits: Pick<DiffOptions, 'budget' | 'maxDepth'> = {},
): string[] {
  const differences = diffSchemas(writer.parsed, reader.parsed, {
    ...limits,
    policy,
    originalReferences: writer.references,
    updateReferences: reader.references,
  })
  return incompatibleDifferences(differences, policy).map(
    (d) => `{errorType:"${d.type}", description:"${describeDifference(d)}"}`,
  )
}

/** True when `reader` can read everything `writer` allows (a BACKWARD check of reader over writer). */
export function canRead(reader: unknown, writer: unknown, policy: CompatibilityPolicy = 'STRICT'): boolean {
  return incompatibleDifferences(diffSchemas(writer, reader, { policy }), policy).length === 0
}
