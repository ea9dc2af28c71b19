import type { RetryPolicy } from './config.ts'

/** Backoff before attempt `attempt + 1` (attempt ≥ 1): initial·2^(attempt-1), capped, ±20 % jitter. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt - 1, 30))
  return Math.max(1, Math.round(base * (0.8 + 0.4 * random())))
}

/** Resolves after `ms`, or at once when the signal aborts (returns false then). */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false)
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve(true)
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      resolve(false)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Runs `attempt` until it succeeds; between failures waits the backoff. Returns false when stopped first
 * (the caller then must not commit: the notification is sent again after a restart).
 */
export async function retryUntilDelivered(
  attempt: () => Promise<void>,
  policy: RetryPolicy,
  signal: AbortSignal,
  onFailure: (error: unknown, attempt: number) => void,
): Promise<boolean> {
  for (let n = 1; ; n++) {
    if (signal.aborted) return false
    try {
      await attempt()
      return true
    } catch (error) {
      if (signal.aborted) return false
      onFailure(error, n)
      if (!(await sleep(backoffMs(policy, n), signal))) return false
    }
  }
}
