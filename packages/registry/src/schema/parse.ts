/**
 * Parses and validates a schema submitted for registration (or lookup / compatibility), producing the text to
 * store: Confluent's compact re-serialisation, or with `normalize` the key-sorted form with sorted references.
 * JSON Schemas are compiled with ajv (2020-12, 2019-09 or draft-07 by `$schema`; strict off); Avro schemas are
 * parsed with avsc. Any problem is a 42201 naming it.
 */
import { Ajv, type AnySchema } from 'ajv'
import { Ajv2019 } from 'ajv/dist/2019.js'
import { Ajv2020 } from 'ajv/dist/2020.js'
import avro from 'avsc'
import { linearPatternProblem } from '@isobar/core'
import { dereference } from '../compatibility/deref.ts'
import { sortedJson } from '../compatibility/json-util.ts'
import {
  checkDocumentShape,
  DEFAULT_SCHEMA_LIMITS,
  isSchemaLimitError,
  SchemaLimitError,
} from '../compatibility/limits.ts'
import type { SchemaLimits } from '../compatibility/limits.ts'
import { errors } from '../errors.ts'
import { avroCanonical } from './avro-canonical.ts'
import type { SchemaReference, SchemaType } from '../store/records.ts'
import { schemaGuid } from '../store/state.ts'

export interface SchemaInput {
  schema: string
  schemaType: SchemaType
  references: SchemaReference[]
}

/** A referenced schema as stored: its text, type and own references (resolved transitively). */
export interface ResolvedReference {
  schema: string
  schemaType: SchemaType
  references: SchemaReference[]
}

/** Looks up the stored schema a reference names (version already concrete), or undefined. */
export type ReferenceResolver = (reference: SchemaReference) => ResolvedReference | undefined

export interface ParsedSchema {
  schemaType: SchemaType
  /** Text to store and return. */
  canonical: string
  parsed: unknown
  references: SchemaReference[]
  /** Referenced documents by reference name (transitively), parsed. */
  documents: Map<string, unknown>
  guid: string
}

const MAX_REFERENCE_DEPTH = 32

export function parseSchema(
  input: SchemaInput,
  resolve: ReferenceResolver,
  normalize: boolean,
  limits: SchemaLimits = DEFAULT_SCHEMA_LIMITS,
): ParsedSchema {
  try {
    return parseWithinLimits(input, resolve, normalize, limits)
  } catch (error) {
    if (isSchemaLimitError(error)) {
      if (error.limit === 'maxSchemaBytes') throw errors.schemaTooLarge(error.message)
      throw errors.invalidSchema(`Invalid schema: ${error.message}`)
    }
    throw error
  }
}

function parseWithinLimits(
  input: SchemaInput,
  resolve: ReferenceResolver,
  normalize: boolean,
  limits: SchemaLimits,
): ParsedSchema {
  if (input.schema.trim() === '') throw errors.invalidSchema('Empty schema')
  if (input.schemaType === 'PROTOBUF') {
    throw errors.invalidSchema('Invalid schema: schema type PROTOBUF is not supported by this registry')
  }
  const bytes = Buffer.byteLength(input.schema, 'utf8')
  if (bytes > limits.maxSchemaBytes) {
    throw new SchemaLimitError('maxSchemaBytes', `Schema is ${bytes} bytes, more than ${limits.maxSchemaBytes}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(input.schema)
  } catch (error) {
    throw errors.invalidSchema(
      `Invalid schema: ${input.schemaType} schema is not valid JSON: ${(error as Error).message}`,
    )
  }
  let refsLeft = limits.maxRefs - checkDocumentShape(parsed, limits)
  const references = normalize ? sortReferences(input.references) : input.references
  const documents = new Map<string, unknown>()
  collectReferences(references, resolve, documents, new Set(), 0)
  for (const document of documents.values()) refsLeft -= checkDocumentShape(document, limits, refsLeft)
  if (input.schemaType === 'JSON') validateJsonSchema(parsed, documents)
  else validateAvroSchema(parsed, documents)
  let canonical: string
  if (input.schemaType === 'AVRO') canonical = JSON.stringify(avroCanonical(parsed))
  else canonical = normalize ? sortedJson(parsed) : JSON.stringify(parsed)
  return {
    schemaType: input.schemaType,
    canonical,
    parsed,
    references,
    documents,
    guid: schemaGuid(canonical, references),
  }
}

/** The documents a stored schema's references name (transitively), parsed, without validating them. */
export function loadReferencedDocuments(
  references: SchemaReference[],
  resolve: ReferenceResolver,
): Map<string, unknown> {
  const documents = new Map<string, unknown>()
  collectReferences(references, resolve, documents, new Set(), 0)
  return documents
}

function sortReferences(references: SchemaReference[]): SchemaReference[] {
  const seen = new Map<string, SchemaReference>()
  for (const r of references) seen.set(`${r.name}\u0000${r.subject}\u0000${r.version}`, r)
  return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/**
 * Loads referenced documents transitively, a reference's own references first (post-order), so that Avro named
 * types are known before the schemas that use them. `visiting` stops reference cycles.
 */
function collectReferences(
  references: SchemaReference[],
  resolve: ReferenceResolver,
  documents: Map<string, unknown>,
  visiting: Set<string>,
  depth: number,
): void {
  if (depth > MAX_REFERENCE_DEPTH) throw errors.invalidSchema('Invalid schema: references nest too deeply')
  for (const reference of references) {
    if (documents.has(reference.name) || visiting.has(reference.name)) continue
    const found = resolve(reference)
    if (!found) {
      throw errors.invalidSchema(
        `Invalid schema: No schema reference found for subject "${reference.subject}" and version ${reference.version}`,
      )
    }
    let document: unknown
    try {
      document = JSON.parse(found.schema)
    } catch {
      throw errors.invalidSchema(`Invalid schema: reference "${reference.name}" is not valid JSON`)
    }
    visiting.add(reference.name)
    collectReferences(found.references, resolve, documents, visiting, depth + 1)
    visiting.delete(reference.name)
    documents.set(reference.name, document)
  }
}

function jsonValidatorFor(schema: unknown): Ajv {
  const options = { strict: false, logger: false as const, validateFormats: false }
  const dialect = typeof schema === 'object' && schema !== null ? (schema as { $schema?: unknown }).$schema : undefined
  if (typeof dialect === 'string' && dialect.includes('2020-12')) return new Ajv2020(options)
  if (typeof dialect === 'string' && dialect.includes('2019-09')) return new Ajv2019(options)
  return new Ajv(options)
}

/** ajv knows draft-07 and later; older `$schema` values are compiled as draft-07 without the meta-schema. */
function forAjv(schema: unknown): AnySchema {
  if (typeof schema === 'boolean') return schema
  const dialect = (schema as { $schema?: unknown }).$schema
  if (typeof dialect === 'string' && /draft-0[346]\b/.test(dialect)) {
    return Object.fromEntries(Object.entries(schema as Record<string, unknown>).filter(([k]) => k !== '$schema'))
  }
  return schema as AnySchema
}

function validateJsonSchema(schema: unknown, documents: Map<string, unknown>): void {
  if (typeof schema !== 'boolean' && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
    throw errors.invalidSchema('Invalid schema: a JSON Schema must be an object or a boolean')
  }
  const ajv = jsonValidatorFor(schema)
  try {
    const rootId = typeof schema === 'object' ? (schema as { $id?: unknown }).$id : undefined
    for (const [name, document] of documents) {
      const id = typeof document === 'object' && document !== null ? (document as { $id?: unknown }).$id : undefined
      if (id === rootId && id !== undefined) continue
      if (id === name || (typeof id === 'string' && ajv.getSchema(id))) ajv.addSchema(forAjv(document))
      else ajv.addSchema(forAjv(document), name)
    }
    validateAgainstMetaSchema(ajv, forAjv(schema), schema, documents)
  } catch (error) {
    throw errors.invalidSchema(`Invalid schema: ${(error as Error).message}`)
  }
}

/**
 * Validates against the dialect's meta-schema (linear in the schema's size) instead of compiling a validator:
 * ajv's code generation grows super-linearly with wide schemas (seconds for a few hundred branches) and can
 * overflow the parser's stack for thousands of properties. `$ref`s and regular expressions, which compiling
 * would check, are checked here.
 */
function validateAgainstMetaSchema(ajv: Ajv, schema: AnySchema, original: unknown, documents: Map<string, unknown>) {
  if (!ajv.validateSchema(schema)) throw new Error(ajv.errorsText(ajv.errors))
  dereference(original, documents, 1_000_000, (ref) => {
    throw new Error(`can't resolve reference ${ref}`)
  })
  checkPatterns(original)
}

function checkPatterns(root: unknown): void {
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const node = stack.pop()
    if (typeof node !== 'object' || node === null) continue
    if (Array.isArray(node)) {
      stack.push(...(node as unknown[]))
      continue
    }
    const record = node as Record<string, unknown>
    const patterns = [
      ...(typeof record.pattern === 'string' ? [record.pattern] : []),
      ...(isRecord(record.patternProperties) ? Object.keys(record.patternProperties) : []),
    ]
    for (const pattern of patterns) {
      const problem = linearPatternProblem(pattern)
      if (problem !== undefined) throw new Error(problem)
    }
    for (const value of Object.values(record)) if (typeof value === 'object' && value !== null) stack.push(value)
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function validateAvroSchema(schema: unknown, documents: Map<string, unknown>): void {
  const registry: Record<string, unknown> = {}
  try {
    for (const document of documents.values()) avro.Type.forSchema(document as avro.Schema, { registry } as never)
    avro.Type.forSchema(schema as avro.Schema, { registry } as never)
  } catch (error) {
    throw errors.invalidSchema(`Invalid schema: ${(error as Error).message}`)
  }
}
