import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { describe, it } from 'node:test'
import { createProgress, formatCount, formatProgress } from '../src/progress.ts'

describe('unit: formatProgress', () => {
  it('draws bar, percentage, counts, rate and elapsed time', () => {
    const line = formatProgress({
      label: 'kafka produce',
      done: 250_000,
      total: 1_000_000,
      elapsedMs: 2000,
      columns: 100,
    })
    assert.match(line, /^kafka produce {4}\[#+-+\] {2}25% 250,000\/1,000,000 125,000 rec\/s 2\.0s$/)
    const bar = /\[(#*)(-*)\]/.exec(line)!
    const width = bar[1]!.length + bar[2]!.length
    assert.equal(bar[1]!.length, Math.round(width / 4))
  })

  it('is full at the end and clamps overshoot (the Java consumer may read more than asked)', () => {
    const line = formatProgress({ label: 'x', done: 1_000_383, total: 1_000_000, elapsedMs: 1000, columns: 100 })
    assert.match(line, /\[#+\] 100% 1,000,383\/1,000,000/)
  })

  it('shows only a count and the time when the total is unknown', () => {
    assert.equal(
      formatProgress({ label: 'kafka consume', done: 0, total: 0, elapsedMs: 1500, columns: 80 }),
      'kafka consume    running 0 rec/s 1.5s',
    )
  })

  it('never exceeds the terminal width', () => {
    const line = formatProgress({ label: 'isobar produce', done: 5, total: 10, elapsedMs: 10, columns: 40 })
    assert.ok(line.length <= 39, line)
  })

  it('formats counts with thousands separators', () => {
    assert.equal(formatCount(0), '0')
    assert.equal(formatCount(999), '999')
    assert.equal(formatCount(1234567.9), '1,234,567')
  })
})

describe('unit: createProgress', () => {
  const capture = (): { stream: Writable; text: () => string } => {
    let text = ''
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        text += chunk.toString()
        callback()
      },
    })
    return { stream, text: () => text }
  }

  it('writes nothing when disabled (stderr is not a terminal)', () => {
    const { stream, text } = capture()
    const progress = createProgress(stream, { enabled: false })
    progress.update('a', 1, 2)
    progress.end()
    assert.equal(text(), '')
  })

  it('redraws in place and clears the line at the end', () => {
    const { stream, text } = capture()
    const progress = createProgress(stream, { enabled: true, columns: 80, intervalMs: 0 })
    progress.update('isobar produce', 1, 2)
    progress.update('isobar produce', 2, 2)
    progress.end()
    assert.equal(text().split('\r').length, 4)
    assert.ok(text().endsWith('\r\x1b[K'))
    assert.ok(!text().includes('\n'))
  })
})
