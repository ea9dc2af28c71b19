/**
 * Requests generated from the Admin API's OpenAPI document: one arbitrary per operation (method, path template,
 * path/query parameters, JSON body), valid or mutated, plus path mangling (percent-encoding, dot segments…).
 */
import fc from 'fast-check'
import { mulberry32 } from '@isobar/simulator'
import { invalidBody, invalidValue, validValue, type Overrides, type Schema } from './schema-arbitraries.ts'

interface Parameter {
  in: 'path' | 'query' | 'header'
  name: string
  required?: boolean
  schema: Schema
}

interface OpenApiOperation {
  parameters?: Parameter[]
  requestBody?: { content: Record<string, { schema: Schema }> }
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>
}

export interface Operation {
  method: string
  /** `/api/topics/{topic}` */
  template: string
  parameters: Parameter[]
  body: Schema | undefined
  responses: OpenApiOperation['responses']
}

export type Mutation = 'none' | 'path' | 'query' | 'body' | 'hostile'

export interface GeneratedRequest {
  operation: Operation
  method: string
  /** Origin-form path and query, as sent (already percent-encoded). */
  url: string
  /** The raw JSON text sent, if any. */
  payload: string | undefined
  /** What was made invalid or hostile, if anything. */
  mutation: Mutation
  /** True when every part was generated valid (the request may still fail: unknown topic, wrong state…). */
  valid: boolean
}

/** A server-sent-events route: its answer never ends, so it is exercised by its own tests (test/live), not here. */
export function isStream(op: Operation): boolean {
  const ok = op.responses['200'] as { content?: Record<string, unknown> } | undefined
  return ok?.content?.['text/event-stream'] !== undefined
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([template, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      template,
      parameters: op.parameters ?? [],
      body: op.requestBody?.content['application/json']?.schema,
      responses: op.responses,
    })),
  )
}

/** The form a query value takes on the wire: numbers and booleans spelled as JSON does. */
function queryText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined')
}

const DEEP = fc.integer({ min: 200, max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth))

/** Values the route handlers must survive even when the schema accepts them: deep nesting and large strings. */
function hostileValue(): fc.Arbitrary<string> {
  return fc.oneof(
    DEEP,
    fc.integer({ min: 1000, max: 200_000 }).map((n) => JSON.stringify('x'.repeat(n))),
    fc.constant(JSON.stringify('y'.repeat(1_100_000))), // over the 1 MiB body limit: 413
    fc.constantFrom('1e999', '-0', '9007199254740993', '"\\ud800"', '{"__proto__":{"polluted":true}}'),
  )
}

/**
 * A request for `operation`. `overrides` pins path parameters and body fields (by name) to safe values when the
 * request is made with credentials. `mode`: any mutation (or none), only valid requests, or only hostile bodies.
 */
export function requestFor(
  operation: Operation,
  overrides: Overrides,
  mode: 'any' | 'valid' | 'hostile' = 'any',
): fc.Arbitrary<GeneratedRequest> {
  const pathParams = operation.parameters.filter((p) => p.in === 'path')
  const queryParams = operation.parameters.filter((p) => p.in === 'query')
  const param = (p: Parameter, mutate: boolean): fc.Arbitrary<unknown> =>
    mutate ? invalidValue(p.schema) : (overrides[p.name] ?? validValue(p.schema))

  const choice =
    mode === 'valid' ? fc.constant(-1) : mode === 'hostile' ? fc.constant(3) : fc.integer({ min: -1, max: 3 })
  return choice.chain((mutated) => {
    // mutated: -1 nothing, 0 a path parameter, 1 a query parameter, 2 the body, 3 a hostile body value.
    const pathArbs = pathParams.map((p) => param(p, mutated === 0 && p === pathParams[0]))
    const queryArbs = queryParams.map((p) =>
      (p.required ? param(p, mutated === 1) : fc.option(param(p, mutated === 1), { nil: undefined, freq: 2 })).map(
        (v): [string, unknown] => [p.name, v],
      ),
    )
    const extraQuery = fc.constant<Array<[string, unknown]>>(mutated === 1 ? [['unexpected', 'x']] : [])
    const bodyArb: fc.Arbitrary<string | undefined> = !operation.body
      ? fc.constant(undefined)
      : mutated === 2
        ? invalidBody(operation.body, overrides).map((b) => JSON.stringify(b))
        : mutated === 3 && operation.body.properties?.['value']
          ? fc.tuple(validValue(operation.body, overrides), hostileValue()).map(([b, hostile]) => {
              const rest = { ...(b as Record<string, unknown>) }
              delete rest['value']
              return `{"value":${hostile}${Object.keys(rest).length ? ',' : ''}${JSON.stringify(rest).slice(1)}`
            })
          : validValue(operation.body, overrides).map((b) => JSON.stringify(b))
    return fc
      .tuple(fc.tuple(...pathArbs), fc.tuple(...queryArbs), extraQuery, bodyArb)
      .map(([pathValues, queryValues, extra, payload]) => {
        let path = operation.template
        pathParams.forEach((p, i) => {
          path = path.replace(`{${p.name}}`, encodeURIComponent(queryText(pathValues[i])))
        })
        const query = [...queryValues, ...extra]
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(queryText(v))}`)
          .join('&')
        const mutation: Mutation =
          mutated === 0 && pathParams.length > 0
            ? 'path'
            : mutated === 1
              ? 'query'
              : mutated === 2 && operation.body
                ? 'body'
                : mutated === 3 && operation.body?.properties?.['value']
                  ? 'hostile'
                  : 'none'
        return {
          operation,
          method: operation.method,
          url: query ? `${path}?${query}` : path,
          payload: operation.body ? (payload ?? '{}') : undefined,
          mutation,
          valid: mutation === 'none',
        }
      })
  })
}

/** Deterministic choices from one generated integer, for mangling a path character by character. */
const random = mulberry32

export type Mangle =
  | 'none'
  | 'percent-encode'
  | 'trailing-slash'
  | 'dot-segment'
  | 'dot-dot-segment'
  | 'encoded-dot-segment'
  | 'double-slash'
  | 'encoded-slash'
  | 'backslash'
  | 'upper-case'
  | 'long-param'

/** Mangles that must be refused as ambiguous (400) whatever the credentials. */
export const AMBIGUOUS: ReadonlySet<Mangle> = new Set([
  'dot-segment',
  'dot-dot-segment',
  'encoded-dot-segment',
  'double-slash',
  'encoded-slash',
  'backslash',
])

/** Mangles after which the router still reaches the same route (so its access rule must still apply). */
export const SAME_ROUTE: ReadonlySet<Mangle> = new Set(['none', 'percent-encode', 'trailing-slash'])

export function mangle(url: string, how: Mangle, seed: number): string {
  const [path = '', query] = url.split('?', 2)
  const next = random(seed)
  const segments = path.split('/')
  const at = 1 + Math.floor(next() * Math.max(1, segments.length - 1))
  let out = path
  switch (how) {
    case 'percent-encode':
      out = [...path]
        .map((c) => {
          if (c === '/' || next() < 0.6) return c
          const hex = c.charCodeAt(0) < 128 ? c.charCodeAt(0).toString(16).padStart(2, '0') : ''
          if (!hex || c === '%') return c
          return `%${next() < 0.5 ? hex.toUpperCase() : hex}`
        })
        .join('')
      break
    case 'trailing-slash':
      out = `${path}/`
      break
    case 'dot-segment':
      out = [...segments.slice(0, at), '.', ...segments.slice(at)].join('/')
      break
    case 'dot-dot-segment':
      out = [...segments.slice(0, at), 'x', '..', ...segments.slice(at)].join('/')
      break
    case 'encoded-dot-segment':
      out = [...segments.slice(0, at), next() < 0.5 ? '%2e%2E' : '%2e', ...segments.slice(at)].join('/')
      break
    case 'double-slash':
      out = [...segments.slice(0, at), '', ...segments.slice(at)].join('/')
      break
    case 'encoded-slash':
      out = [
        ...segments.slice(0, at),
        `${segments[at] ?? ''}${next() < 0.5 ? '%2F' : '%2f'}x`,
        ...segments.slice(at + 1),
      ].join('/')
      break
    case 'backslash':
      out = [...segments.slice(0, at), `${segments[at] ?? ''}%5Cx`, ...segments.slice(at + 1)].join('/')
      break
    case 'upper-case':
      out = path.replace('/api', '/API')
      break
    case 'long-param':
      out = `${segments.slice(0, 3).join('/')}/${'p'.repeat(1001 + Math.floor(next() * 2000))}`
      break
    case 'none':
      break
  }
  return query === undefined ? out : `${out}?${query}`
}

export const MANGLES: Mangle[] = [
  'none',
  'percent-encode',
  'trailing-slash',
  'dot-segment',
  'dot-dot-segment',
  'encoded-dot-segment',
  'double-slash',
  'encoded-slash',
  'backslash',
  'upper-case',
  'long-param',
]
