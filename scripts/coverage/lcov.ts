/**
 * Coverage totals from an lcov report and the ratchet of the floor stored in coverage-floor.json: a run below
 * the floor fails; a run above it raises the floor to FLOOR_SLACK below itself (never lowers it), so coverage only
 * goes up.
 */
export interface CoverageTotals {
  lines: number
  branches: number
  functions: number
}

interface Counts {
  found: number
  hit: number
}

/** Percentages (two decimals) over the files of the report whose path matches `include`. */
export function lcovTotals(lcov: string, include: (file: string) => boolean): CoverageTotals & { files: number } {
  const sum = { lines: { found: 0, hit: 0 }, branches: { found: 0, hit: 0 }, functions: { found: 0, hit: 0 } }
  const keys: Record<string, [keyof typeof sum, keyof Counts]> = {
    LF: ['lines', 'found'],
    LH: ['lines', 'hit'],
    BRF: ['branches', 'found'],
    BRH: ['branches', 'hit'],
    FNF: ['functions', 'found'],
    FNH: ['functions', 'hit'],
  }
  let files = 0
  for (const record of lcov.split('end_of_record')) {
    const file = /^SF:(.*)$/m.exec(record)?.[1]
    if (file === undefined || !include(file)) continue
    files++
    for (const line of record.split('\n')) {
      const [tag, value] = line.split(':')
      const target = tag === undefined ? undefined : keys[tag]
      if (target) sum[target[0]][target[1]] += Number(value)
    }
  }
  const pct = (c: Counts): number => (c.found === 0 ? 100 : Math.floor((c.hit / c.found) * 10_000) / 100)
  return { lines: pct(sum.lines), branches: pct(sum.branches), functions: pct(sum.functions), files }
}

export interface RatchetResult {
  ok: boolean
  /** The floor to store: the old one raised towards what this run reached. */
  floor: CoverageTotals
  problems: string[]
}

/**
 * Percentage points the stored floor stays below the run that raised it: runs differ a little (a retry path taken
 * or not on a loaded machine), and that jitter must not fail the next run.
 */
export const FLOOR_SLACK = 0.5

export function ratchet(floor: CoverageTotals, run: CoverageTotals): RatchetResult {
  const problems: string[] = []
  const next = { ...floor }
  for (const key of ['lines', 'branches', 'functions'] as const) {
    if (run[key] < floor[key]) problems.push(`${key} coverage ${run[key]} % is below the floor ${floor[key]} %`)
    else next[key] = Math.max(floor[key], Math.floor((run[key] - FLOOR_SLACK) * 100) / 100)
  }
  return { ok: problems.length === 0, floor: problems.length === 0 ? next : floor, problems }
}
