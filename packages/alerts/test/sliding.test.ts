import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SlidingWindow } from '../src/sliding.ts'

// The naive window the deques replace: every point kept, extremes by scanning.
function naive(points: Array<{ t: number; v: number }>, now: number, withinMs: number, keepOneOlder: boolean) {
  let drop = 0
  while (drop < points.length && points[drop]!.t < now - withinMs) drop++
  if (keepOneOlder && drop > 0) drop--
  points.splice(0, drop)
  const values = points.map((p) => p.v)
  return { count: points.length, firstTime: points[0]?.t, max: Math.max(...values), min: Math.min(...values) }
}

test('SlidingWindow agrees with keeping every point, on noisy, flat and trending series, both trim modes', () => {
  let seed = 42
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  for (const keepOneOlder of [false, true]) {
    for (const shape of ['noise', 'flat', 'up', 'down']) {
      const window = new SlidingWindow()
      const points: Array<{ t: number; v: number }> = []
      let t = 0
      for (let i = 0; i < 3000; i++) {
        t += 1 + Math.floor(random() * 2000) // irregular spacing, gaps included
        const v = shape === 'noise' ? Math.round(random() * 100) : shape === 'flat' ? 5 : shape === 'up' ? i : 3000 - i
        window.push(t, v)
        points.push({ t, v })
        window.trim(t, 60_000, keepOneOlder)
        const expected = naive(points, t, 60_000, keepOneOlder)
        assert.deepEqual(
          { count: window.count, firstTime: window.firstTime, max: window.max, min: window.min },
          expected,
          `${shape}, keepOneOlder ${keepOneOlder}, step ${i}`,
        )
      }
    }
  }
})
