import type { Writable } from 'node:stream'
import type { ProgressSink } from './types.ts'

export interface ProgressState {
  label: string
  done: number
  /** 0 or less when unknown (the Java consumer reports nothing until it ends). */
  total: number
  elapsedMs: number
  /** Terminal columns available. */
  columns: number
}

const LABEL_WIDTH = 16

/** One line of progress bar, never wider than `columns`. Pure, so it is tested without a terminal. */
export function formatProgress(state: ProgressState): string {
  const { done, total } = state
  const seconds = state.elapsedMs / 1000
  const label = state.label.padEnd(LABEL_WIDTH).slice(0, LABEL_WIDTH)
  const rate = seconds > 0 ? `${formatCount(Math.round(done / seconds))} rec/s` : ''
  let middle: string
  let counts: string
  if (total > 0) {
    const fraction = Math.min(1, Math.max(0, done / total))
    const percent = `${Math.floor(fraction * 100)}%`.padStart(4)
    counts = `${percent} ${formatCount(done)}/${formatCount(total)}`
    // Room for percentage, counts, rate and time is reserved up front, so the bar keeps its width as they change.
    const barWidth = Math.max(10, Math.min(30, state.columns - LABEL_WIDTH - 48))
    const filled = Math.round(fraction * barWidth)
    middle = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`
  } else {
    counts = done > 0 ? formatCount(done) : 'running'
    middle = ''
  }
  const parts = [label, middle, counts, rate, `${seconds.toFixed(1)}s`].filter((p) => p !== '')
  return parts.join(' ').slice(0, Math.max(0, state.columns - 1))
}

/** 1234567 -> "1,234,567" without locale surprises. */
export function formatCount(value: number): string {
  return Math.trunc(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

export interface ProgressOptions {
  /** Draw only when true; the CLI passes "stderr is a TTY". */
  enabled: boolean
  columns?: number
  /** Minimum time between redraws. */
  intervalMs?: number
}

/** A redrawing bar on `stream` (stderr), or a sink that writes nothing when disabled. */
export function createProgress(stream: Writable, options: ProgressOptions): ProgressSink {
  if (!options.enabled) return { update() {}, end() {} }
  const interval = options.intervalMs ?? 100
  let phase = ''
  let phaseStart = 0
  let lastDraw = 0
  let drawn = false
  return {
    update(label, done, total) {
      const now = performance.now()
      if (label !== phase) {
        phase = label
        phaseStart = now
      } else if (now - lastDraw < interval && done < total) {
        return
      }
      lastDraw = now
      // A pty without a size (e.g. under `script`) reports 0 columns.
      const columns = options.columns ?? ((stream as { columns?: number }).columns || 80)
      stream.write(`\r${formatProgress({ label, done, total, elapsedMs: now - phaseStart, columns })}\x1b[K`)
      drawn = true
    },
    end() {
      if (drawn) stream.write('\r\x1b[K')
      drawn = false
      phase = ''
    },
  }
}
