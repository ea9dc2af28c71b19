/**
 * JSON payloads as a consumer must read them: valid UTF-8 (Buffer#toString would silently replace bad bytes),
 * valid JSON, finite numbers only (JSON.parse turns `1e999` into Infinity), and bounded nesting. Anything else
 * throws InvalidJsonError, a poison error: the record goes to the dead-letter topic with the reason.
 */
import { isUtf8 } from 'node:buffer'
import { InvalidJsonError } from './errors.ts'

export const DEFAULT_MAX_JSON_DEPTH = 64

export function parseJsonPayload(payload: Buffer, schemaId: number, maxDepth = DEFAULT_MAX_JSON_DEPTH): unknown {
  if (!isUtf8(payload)) throw new InvalidJsonError(schemaId, new Error('payload is not valid UTF-8'))
  let value: unknown
  try {
    value = JSON.parse(payload.toString('utf8'))
  } catch (error) {
    throw new InvalidJsonError(schemaId, error)
  }
  const problem = checkJsonValue(value, maxDepth)
  if (problem) throw new InvalidJsonError(schemaId, new Error(problem))
  return value
}

/** Why a parsed value is unacceptable (a non-finite number, nesting beyond maxDepth), or undefined. Iterative. */
export function checkJsonValue(value: unknown, maxDepth = DEFAULT_MAX_JSON_DEPTH): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : 'number out of range (not finite) at /'
  if (typeof value !== 'object' || value === null) return undefined
  const stack: Array<{ value: object; path: string; depth: number }> = [{ value, path: '', depth: 1 }]
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (item.depth > maxDepth) return `nested deeper than ${maxDepth} levels at ${item.path || '/'}`
    for (const [key, child] of Object.entries(item.value)) {
      if (typeof child === 'number') {
        if (!Number.isFinite(child)) return `number out of range (not finite) at ${item.path}/${key}`
      } else if (typeof child === 'object' && child !== null) {
        stack.push({ value: child as object, path: `${item.path}/${key}`, depth: item.depth + 1 })
      }
    }
  }
  return undefined
}
