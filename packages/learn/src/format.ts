/** 10000 → "10,000": figures in narration read like numbers in prose. */
export function count(n: number | bigint): string {
  return Number(n).toLocaleString('en-US')
}

/** 0.1234 → "12.3 %". */
export function percent(part: number, whole: number): string {
  return whole === 0 ? '0 %' : `${((part / whole) * 100).toFixed(1)} %`
}

/** A text histogram row: "p2 ████████ 1,234". */
export function bar(label: string, value: number, max: number, width = 30): string {
  const filled = max === 0 ? 0 : Math.round((value / max) * width)
  return `${label.padEnd(6)} ${'█'.repeat(filled)}${' '.repeat(width - filled)} ${count(value)}`
}
