/**
 * A small history router: the path is the state, so every view is a shareable deep link
 * (/topics/sensors.aggregates, /groups/isobar-sensor-analytics, /sensors/mote:1).
 */
import type { ComponentChildren, JSX } from 'preact'
import { useEffect, useState } from 'preact/hooks'

type Listener = () => void
const listeners = new Set<Listener>()

export function navigate(to: string, replace = false): void {
  if (to === location.pathname + location.search) return
  if (replace) history.replaceState(null, '', to)
  else history.pushState(null, '', to)
  for (const l of listeners) l()
  window.scrollTo(0, 0)
}

addEventListener('popstate', () => {
  for (const l of listeners) l()
})

export interface Location {
  path: string
  query: URLSearchParams
}

export function useLocation(): Location {
  const [, setTick] = useState(0)
  useEffect(() => {
    const listener = (): void => setTick((t) => t + 1)
    listeners.add(listener)
    return () => listeners.delete(listener)
  }, [])
  return { path: location.pathname, query: new URLSearchParams(location.search) }
}

/** Matches `/topics/:name` style patterns; params are URI-decoded. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.split('/')
  const s = path.split('/')
  if (p.length !== s.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < p.length; i++) {
    const part = p[i]!
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(s[i]!)
    else if (part !== s[i]) return undefined
  }
  return params
}

export function Link(props: {
  href: string
  children: ComponentChildren
  class?: string
  'aria-current'?: 'page' | undefined
}): JSX.Element {
  return (
    <a
      href={props.href}
      class={props.class}
      aria-current={props['aria-current']}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
        e.preventDefault()
        navigate(props.href)
      }}
    >
      {props.children}
    </a>
  )
}
