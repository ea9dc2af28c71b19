/**
 * fast-check generators of hostile and ordinary registry requests: every route and method, encoded and
 * malformed paths, query flags of every shape, valid, mutated, deep, wide and huge schemas, and bodies of the
 * wrong type or content type.
 */
import fc from 'fast-check'

export interface FuzzRequest {
  method: string
  /** Raw request target, sent as is. */
  url: string
  headers: Record<string, string>
  payload?: string
}

export const V1 = 'application/vnd.schemaregistry.v1+json'

const subject = fc.oneof(
  fc.constantFrom('s1', 's2', 'orders-value', 'a%2Fb', '%61pi', '%E0%A4%A', '%zz', '..', '%2e%2e', 'x'.repeat(300)),
  fc.string({ maxLength: 12 }).map((s) => encodeURIComponent(s)),
  fc.string({ unit: 'grapheme', maxLength: 6 }).map((s) => encodeURIComponent(s)),
)
const version = fc.oneof(
  fc.constantFrom('latest', '-1', '0', '1', '2', '2147483648', 'abc', '1.5', '%31', ''),
  fc.integer({ min: -5, max: 2 ** 32 }).map(String),
)
const id = fc.oneof(fc.constantFrom('1', '2', '0', '-1', 'abc', '99999999999', '4294967295'), fc.nat().map(String))
const query = fc
  .array(
    fc.tuple(
      fc.constantFrom(
        'deleted',
        'permanent',
        'normalize',
        'verbose',
        'latestOnly',
        'offset',
        'limit',
        'subjectPrefix',
        'x',
      ),
      fc.constantFrom('true', 'TRUE', 'false', '1', '-1', 'abc', '', '%zz', '999999999999'),
    ),
    { maxLength: 3 },
  )
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`))

const path = fc.oneof(
  fc.constant('/subjects'),
  subject.map((s) => `/subjects/${s}`),
  subject.map((s) => `/subjects/${s}/versions`),
  fc.tuple(subject, version).map(([s, v]) => `/subjects/${s}/versions/${v}`),
  fc.tuple(subject, version).map(([s, v]) => `/subjects/${s}/versions/${v}/schema`),
  fc.tuple(subject, version).map(([s, v]) => `/subjects/${s}/versions/${v}/referencedby`),
  fc.tuple(subject, version).map(([s, v]) => `/compatibility/subjects/${s}/versions/${v}`),
  subject.map((s) => `/compatibility/subjects/${s}/versions`),
  fc.constantFrom('/schemas', '/schemas/types', '/config', '/mode', '/contexts', '/', '/health', '/ready'),
  id.map((i) => `/schemas/ids/${i}`),
  id.map((i) => `/schemas/ids/${i}/versions`),
  id.map((i) => `/schemas/ids/${i}/subjects`),
  subject.map((s) => `/config/${s}`),
  subject.map((s) => `/mode/${s}`),
  fc.constantFrom('//subjects', '/subjects/', '/SUBJECTS', '/subjects/s1/versions/1/../../', '/%', '/nope/nope'),
)

/** A nested anyOf through $ref (the shape that used to take seconds per level). */
function nestedUnion(depth: number, leaf: string): unknown {
  const definitions: Record<string, unknown> = { d0: { type: leaf } }
  for (let i = 1; i <= depth; i++) {
    const below = { $ref: `#/definitions/d${i - 1}` }
    definitions[`d${i}`] = { anyOf: [below, { type: 'array', items: below }, { properties: { a: below, b: below } }] }
  }
  return { definitions, $ref: `#/definitions/d${depth}` }
}

const validJsonSchema = fc.oneof(
  fc
    .dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.constantFrom('string', 'integer', 'number', 'boolean'), {
      maxKeys: 4,
    })
    .chain((props) =>
      fc.record({
        type: fc.constant('object'),
        properties: fc.constant(Object.fromEntries(Object.entries(props).map(([k, t]) => [k, { type: t }]))),
        additionalProperties: fc.boolean(),
      }),
    ),
  fc
    .integer({ min: 1, max: 12 })
    .chain((d) => fc.constantFrom('string', 'integer').map((leaf) => nestedUnion(d, leaf))),
  fc.integer({ min: 1, max: 400 }).map((n) => ({ anyOf: Array.from({ length: n }, (_, i) => ({ const: i })) })),
  fc.integer({ min: 50, max: 120 }).map((depth) => {
    let node: unknown = { type: 'string' }
    for (let i = 0; i < depth; i++) node = { type: 'object', properties: { a: node } }
    return node
  }),
)

const schemaText = fc.oneof(
  validJsonSchema.map((s) => JSON.stringify(s)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.constantFrom('', '{', 'null', '"string"', '{"type":"record","name":"R","fields":[]}', '{"$ref":"#/nowhere"}'),
  fc.integer({ min: 200_000, max: 400_000 }).map((n) => JSON.stringify({ description: 'x'.repeat(n) })),
  fc.constantFrom('{"type":"string","pattern":"("}', '{"patternProperties":{"[":{}}}'),
)

const registerBody = fc.record(
  {
    schema: schemaText,
    schemaType: fc.constantFrom('JSON', 'json', 'AVRO', 'PROTOBUF', 'XML', 7, null),
    references: fc.oneof(
      fc.constant([]),
      fc.constant([{ name: 'r', subject: 's1', version: 1 }]),
      fc.constant([{ name: 'r', subject: 'missing', version: 9 }]),
      fc.constant('nope'),
    ),
    id: fc.oneof(fc.constant(undefined), fc.constantFrom(1, -1, 'x', 2 ** 40)),
  },
  { requiredKeys: ['schema'] },
)

const body = fc.oneof(
  { weight: 6, arbitrary: registerBody.map((b) => JSON.stringify(b)) },
  {
    weight: 1,
    arbitrary: fc
      .record({ compatibility: fc.constantFrom('NONE', 'backward', 'bogus', 1) })
      .map((b) => JSON.stringify(b)),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ mode: fc.constantFrom('READWRITE', 'READONLY', 'IMPORT', 'x') })
      .map((b) => JSON.stringify(b)),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.constantFrom('-1', '[]', 'null', '{', '{"schema": {"a": 1}}', '"x"') },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 50_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`) },
)

/** Well-formed writes and checks on existing subjects, so the fuzz also reaches the compatibility diff. */
const targeted: fc.Arbitrary<FuzzRequest> = fc
  .record({
    path: fc.constantFrom(
      '/subjects/s1/versions',
      '/subjects/s2/versions',
      '/compatibility/subjects/s1/versions/latest',
      '/compatibility/subjects/s2/versions?verbose=true',
      '/subjects/s1',
    ),
    body: fc.record({ schema: schemaText, schemaType: fc.constant('JSON') }),
  })
  .map((r) => ({
    method: 'POST',
    url: r.path,
    headers: { 'content-type': V1 },
    payload: JSON.stringify(r.body),
  }))

const anyRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    method: fc.constantFrom('GET', 'GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
    path,
    query,
    body: fc.option(body, { freq: 3 }),
    contentType: fc.constantFrom(V1, V1, 'application/json', 'application/vnd.schemaregistry+json', 'text/html', ''),
    accept: fc.constantFrom(undefined, '*/*', V1, 'application/json', 'text/html'),
  })
  .map((r) => {
    const headers: Record<string, string> = {}
    if (r.body !== null && r.contentType !== '') headers['content-type'] = r.contentType
    if (r.accept !== undefined) headers.accept = r.accept
    const out: FuzzRequest = { method: r.method, url: `${r.path}${r.query}`, headers }
    if (r.body !== null && r.method !== 'GET' && r.method !== 'HEAD') out.payload = r.body
    return out
  })

export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { weight: 4, arbitrary: anyRequest },
  { weight: 1, arbitrary: targeted },
)

/** Problems with one response; empty when it keeps every promise. */
export function responseProblems(
  status: number,
  contentType: string | undefined,
  text: string,
  method: string,
): string[] {
  const problems: string[] = []
  if (status >= 500) problems.push(`status ${status}`)
  if (method === 'HEAD') return problems
  if (status >= 400) {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      return [...problems, `error body is not JSON: ${text.slice(0, 80)}`]
    }
    const keys = typeof parsed === 'object' && parsed !== null ? Object.keys(parsed).sort().join(',') : ''
    const p = parsed as { error_code?: unknown; message?: unknown }
    if (keys !== 'error_code,message' || !Number.isInteger(p.error_code) || typeof p.message !== 'string') {
      problems.push(`error body not in the catalogue format: ${text.slice(0, 120)}`)
    } else if (String(p.error_code).slice(0, 3) !== String(status)) {
      problems.push(`error_code ${String(p.error_code)} does not match status ${status}`)
    }
    if (contentType !== undefined && contentType.includes('charset')) problems.push(`content type ${contentType}`)
  }
  return problems
}
