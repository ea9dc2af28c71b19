/**
 * How message bytes are shown, once for every reader (the Admin API, the live feed, `isobar consume` and
 * `isobar dlq`): JSON when they parse, else UTF-8 text, else base64; the Confluent wire format's framing
 * (magic byte 0 + 4-byte schema id) is recognised, and `registryMessageDecoder` decodes and validates framed
 * values through the Schema Registry, falling back to the plain display when the registry cannot explain them.
 */
import { describeCause } from '../errors.ts'
import { JsonSerde, type SchemaSource } from './json-serde.ts'
import { FRAME_HEADER_BYTES, MAGIC_BYTE } from './wire-format.ts'

/** Bytes shown without the registry: parsed JSON, UTF-8 text, or base64. */
export type DisplayedBytes =
  { format: 'json'; data: unknown } | { format: 'text'; data: string } | { format: 'base64'; data: string }

export type DecodedPayload = (
  | { format: 'json'; data: unknown; schemaId?: number }
  | { format: 'text'; data: string }
  | { format: 'base64'; data: string; schemaId?: number }
) & {
  /** Set when the registry could not decode or validate a framed value (the payload is the plain decoding). */
  decodeError?: string
}

export interface DecodeContext {
  topic: string
  part: 'key' | 'value'
}

export interface MessageDecoder {
  decode(bytes: Buffer, context: DecodeContext): DecodedPayload | Promise<DecodedPayload>
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** True when the bytes start with the wire format's header (magic byte 0 and room for a schema id). */
export function isFramed(bytes: Buffer): boolean {
  return bytes.length >= FRAME_HEADER_BYTES && bytes[0] === MAGIC_BYTE
}

function parseJson(bytes: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(utf8.decode(bytes)) }
  } catch {
    return { ok: false }
  }
}

/** The bytes as UTF-8 text, or undefined when they are not text (invalid UTF-8, or control characters). */
export function displayText(bytes: Buffer): string | undefined {
  try {
    const text = utf8.decode(bytes)
    // Control characters other than whitespace mean binary that happens to be valid UTF-8.
    return /[\u0000-\u0008\u000e-\u001f]/.test(text) ? undefined : text
  } catch {
    return undefined
  }
}

/** The display fallback, byte for byte as given (no framing): JSON, else text, else base64. */
export function displayBytes(bytes: Buffer): DisplayedBytes {
  const json = parseJson(bytes)
  if (json.ok) return { format: 'json', data: json.value }
  const text = displayText(bytes)
  return text === undefined ? { format: 'base64', data: bytes.toString('base64') } : { format: 'text', data: text }
}

/** Decodes without a registry: a framed value shows its schema id and its JSON body (or all its bytes as base64). */
export const jsonMessageDecoder: MessageDecoder = {
  decode(bytes) {
    if (isFramed(bytes)) {
      const schemaId = bytes.readUInt32BE(1)
      const json = parseJson(bytes.subarray(FRAME_HEADER_BYTES))
      if (json.ok) return { format: 'json', data: json.value, schemaId }
      return { format: 'base64', data: bytes.toString('base64'), schemaId }
    }
    return displayBytes(bytes)
  },
}

/**
 * Decodes framed values through the Schema Registry (the writer schema is fetched by id and cached; the value is
 * validated against it). Anything that is not framed goes to the plain decoder; a framed value the registry cannot
 * explain gets the plain decoding with `decodeError` saying why.
 */
export function registryMessageDecoder(registry: SchemaSource): MessageDecoder {
  const serde = new JsonSerde({ registry })
  return {
    async decode(bytes, context): Promise<DecodedPayload> {
      if (!isFramed(bytes)) return jsonMessageDecoder.decode(bytes, context)
      try {
        const { schemaId, value } = await serde.deserialize(bytes)
        return { format: 'json', data: value, schemaId }
      } catch (error) {
        const fallback = await jsonMessageDecoder.decode(bytes, context)
        return { ...fallback, decodeError: describeCause(error) }
      }
    },
  }
}
