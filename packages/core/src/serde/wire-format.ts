/**
 * Confluent wire format for JSON Schema: magic byte 0, the schema id as a 4-byte big-endian integer, then the
 * UTF-8 JSON text (no length prefix, no inline schema).
 */
import { MalformedFrameError } from './errors.ts'

export const MAGIC_BYTE = 0
export const FRAME_HEADER_BYTES = 5

export interface DecodedFrame {
  schemaId: number
  /** A view into the original buffer (no copy). */
  payload: Buffer
}

function checkSchemaId(schemaId: number): void {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0x7fffffff) {
    throw new RangeError(`schema id must be an integer in [0, 2^31-1], got ${schemaId}`)
  }
}

export function encodeFrame(schemaId: number, payload: Buffer): Buffer {
  checkSchemaId(schemaId)
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length)
  frame[0] = MAGIC_BYTE
  frame.writeUInt32BE(schemaId, 1)
  payload.copy(frame, FRAME_HEADER_BYTES)
  return frame
}

/** Encodes a JSON text straight into the frame (one allocation, no intermediate buffer). */
export function encodeJsonFrame(schemaId: number, json: string): Buffer {
  checkSchemaId(schemaId)
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + Buffer.byteLength(json))
  frame[0] = MAGIC_BYTE
  frame.writeUInt32BE(schemaId, 1)
  frame.write(json, FRAME_HEADER_BYTES, 'utf8')
  return frame
}

export function decodeFrame(buffer: Buffer | null | undefined): DecodedFrame {
  if (!buffer || buffer.length < FRAME_HEADER_BYTES) {
    throw new MalformedFrameError(
      `message is ${buffer ? `${buffer.length} bytes` : 'empty'}, shorter than the ${FRAME_HEADER_BYTES}-byte wire-format header`,
      { length: buffer?.length ?? 0 },
    )
  }
  if (buffer[0] !== MAGIC_BYTE) {
    throw new MalformedFrameError(`unknown magic byte ${buffer[0]} (expected ${MAGIC_BYTE})`, { magicByte: buffer[0] })
  }
  return { schemaId: buffer.readUInt32BE(1), payload: buffer.subarray(FRAME_HEADER_BYTES) }
}
