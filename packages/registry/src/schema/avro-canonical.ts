/**
 * The form an Avro schema is stored and identified by: parsed JSON re-written with its attributes in a fixed
 * order (as Avro Java's `Schema.toString()` prints them: type, name, namespace, doc, then the type's own
 * attributes, then any others sorted), no whitespace, and primitive types without attributes as bare names.
 * So registering the same schema with keys in another order or other spacing finds the same id, as Confluent
 * does. Input depth is bounded by the schema limits checked before.
 */
const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'])

const TYPE_ORDER = ['type', 'name', 'namespace', 'doc', 'fields', 'symbols', 'items', 'values', 'size', 'default']
const FIELD_ORDER = ['name', 'type', 'doc', 'default', 'order']

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function ordered(node: Record<string, unknown>, order: string[], map: (key: string, value: unknown) => unknown) {
  const out: Record<string, unknown> = {}
  for (const key of order) if (node[key] !== undefined) out[key] = map(key, node[key])
  const rest = Object.keys(node)
    .filter((k) => !order.includes(k))
    .sort((a, b) => (a === 'aliases' ? -1 : b === 'aliases' ? 1 : a < b ? -1 : a > b ? 1 : 0))
  for (const key of rest) out[key] = map(key, node[key])
  return out
}

/** Attribute values that are not schemas (defaults, custom properties) keep their content, keys sorted. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain)
  if (!isObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) out[key] = plain(value[key])
  return out
}

export function avroCanonical(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(avroCanonical)
  if (!isObject(schema)) return schema
  const keys = Object.keys(schema)
  if (keys.length === 1 && typeof schema.type === 'string' && PRIMITIVES.has(schema.type)) return schema.type
  return ordered(schema, TYPE_ORDER, (key, value) => {
    if (key === 'type' || key === 'items' || key === 'values') return avroCanonical(value)
    if (key === 'fields' && Array.isArray(value)) {
      return (value as unknown[]).map((field): unknown =>
        isObject(field) ? ordered(field, FIELD_ORDER, (k, v) => (k === 'type' ? avroCanonical(v) : plain(v))) : field,
      )
    }
    return plain(value)
  })
}
