import { randomFillSync } from 'node:crypto'
import { writeFile } from 'node:fs/promises'

/** Bytes of random letters the record values are cut from: larger than any batch, so no batch repeats itself. */
const POOL_BYTES = 8 * 1024 * 1024

/**
 * Record values like ProducerPerformance's (random 'A'..'Z' bytes, so compression ratios match), cut as views from
 * one pool: no allocation or random generation per record on the measured path.
 */
export function payloadViews(recordSize: number): Buffer[] {
  const count = Math.max(1, Math.floor(POOL_BYTES / recordSize))
  const pool = Buffer.allocUnsafe(count * recordSize)
  randomFillSync(pool)
  // The modulo bias (256 % 26) is irrelevant for compressibility, which is all that matters here.
  for (let i = 0; i < pool.length; i++) pool[i] = 65 + (pool[i]! % 26)
  const views = new Array<Buffer>(count)
  for (let k = 0; k < count; k++) views[k] = pool.subarray(k * recordSize, (k + 1) * recordSize)
  return views
}

/**
 * Writes the same values, one per line, for ProducerPerformance's --payload-file: then both sides send identical
 * bytes and neither spends CPU generating them (with --record-size the Java tool draws a random number per byte of
 * every record, which on a 2-core box takes CPU from the broker).
 */
export async function writePayloadFile(path: string, values: readonly Buffer[]): Promise<void> {
  const lines: Buffer[] = []
  for (const value of values) lines.push(value, NEWLINE)
  await writeFile(path, Buffer.concat(lines))
}

const NEWLINE = Buffer.from('\n')
