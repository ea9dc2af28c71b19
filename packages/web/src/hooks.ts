import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import type { LiveStore } from './live.ts'

/** Re-renders the component when the live store changes (at most once per animation frame). */
export function useStore(store: LiveStore): LiveStore {
  const [, setVersion] = useState(0)
  useEffect(() => store.subscribe(() => setVersion(store.version)), [store])
  return store
}

export interface Async<T> {
  data: T | undefined
  error: Error | undefined
  loading: boolean
  reload: () => void
}

/** Runs a request when `deps` change (and on reload); a stale answer never overwrites a newer one. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true })
  const [tick, setTick] = useState(0)
  const generation = useRef(0)
  useEffect(() => {
    const mine = ++generation.current
    setState((s) => ({ ...s, loading: true }))
    load().then(
      (data) => mine === generation.current && setState({ data, loading: false }),
      (error: Error) => mine === generation.current && setState({ error, loading: false }),
    )
  }, [...deps, tick])
  const reload = useCallback(() => setTick((t) => t + 1), [])
  return { data: state.data, error: state.error, loading: state.loading, reload }
}

/** Current time, refreshed every `ms` (ages, staleness). */
export function useNow(ms = 5000): number {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(timer)
  }, [ms])
  return now
}
