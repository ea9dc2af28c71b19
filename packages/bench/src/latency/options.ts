export const DEFAULT_LATENCY_RATES: readonly number[] = [1000, 10_000]
export const DEFAULT_LATENCY_SECONDS = 5
export const DEFAULT_JAVA_LATENCY_RECORDS = 1000

/** Throws RangeError naming the first bad option. */
export function checkLatencyOptions(
  rates: readonly number[],
  seconds: number,
  recordSize: number,
  javaRecords: number,
): void {
  if (rates.length === 0) throw new RangeError('rates: give at least one rate')
  for (const rate of rates) {
    if (!Number.isSafeInteger(rate) || rate < 1 || rate > 1_000_000) {
      throw new RangeError(`rates: ${rate} is not an integer from 1 to 1000000 records/s`)
    }
  }
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > 600) {
    throw new RangeError(`seconds must be an integer from 1 to 600, got ${seconds}`)
  }
  if (!Number.isSafeInteger(recordSize) || recordSize < 4 || recordSize > 1_000_000) {
    throw new RangeError(`recordSize must be an integer from 4 to 1000000 bytes, got ${recordSize}`)
  }
  if (!Number.isSafeInteger(javaRecords) || javaRecords < 0 || javaRecords > 1_000_000) {
    throw new RangeError(`javaRecords must be an integer from 0 to 1000000, got ${javaRecords}`)
  }
}

/** `1000,10000` or `1k,10k,50k`. */
export function parseRates(text: string): number[] {
  return text.split(',').map((part) => {
    const m = /^\s*([0-9]+)(k?)\s*$/i.exec(part)
    if (!m) throw new RangeError(`rates: "${part}" is not a number of records/s (e.g. 1000 or 10k)`)
    return Number(m[1]) * (m[2] ? 1000 : 1)
  })
}
