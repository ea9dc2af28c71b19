/**
 * How message bytes are shown. The default decoder understands JSON and the Confluent wire format's framing
 * (magic byte 0 + 4-byte schema id); a registry-backed decoder can replace it through `MessageDecoder`.
 */
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

const WIRE_MAGIC = 0
const WIRE_HEADER_BYTES = 5
const utf8 = new TextDecoder('utf-8', { fatal: true })

function parseJson(bytes: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(utf8.decode(bytes)) }
  } catch {
    return { ok: false }
  }
}

function asText(bytes: Buffer): string | undefined {
  try {
    const text = utf8.decode(bytes)
    // Control characters other than whitespace mean binary that happens to be valid UTF-8.
    return /[\u0000-\u0008\u000e-\u001f]/.test(text) ? undefined : text
  } catch {
    return undefined
  }
}

export const jsonMessageDecoder: MessageDecoder = {
  decode(bytes) {
    if (bytes.length >= WIRE_HEADER_BYTES && bytes[0] === WIRE_MAGIC) {
      const schemaId = bytes.readUInt32BE(1)
      const json = parseJson(bytes.subarray(WIRE_HEADER_BYTES))
      if (json.ok) return { format: 'json', data: json.value, schemaId }
      return { format: 'base64', data: bytes.toString('base64'), schemaId }
    }
    const json = parseJson(bytes)
    if (json.ok) return { format: 'json', data: json.value }
    const text = asText(bytes)
    return text === undefined ? { format: 'base64', data: bytes.toString('base64') } : { format: 'text', data: text }
  },
}
