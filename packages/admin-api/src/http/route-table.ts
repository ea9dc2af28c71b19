import type { FastifyInstance } from 'fastify'

interface Entry {
  pattern: RegExp
  methods: Set<string>
}

/** Route paths → methods, collected as routes are added, so an unmatched request can be told 404 from 405. */
export class RouteTable {
  readonly #entries = new Map<string, Entry>()

  /** Call before any route is registered: listens to every route added to `app` and its plugins. */
  collect(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method]
      const entry = this.#entries.get(route.url) ?? { pattern: compile(route.url), methods: new Set<string>() }
      for (const method of methods) entry.methods.add(method.toUpperCase())
      this.#entries.set(route.url, entry)
    })
  }

  /** Methods routed for this (decoded) path, sorted; empty when no route has the path. */
  allowedMethods(path: string): string[] {
    const methods = new Set<string>()
    for (const entry of this.#entries.values()) {
      if (entry.pattern.test(path)) for (const m of entry.methods) methods.add(m)
    }
    return [...methods].sort()
  }
}

/** `/api/topics/:topic` → `^/api/topics/[^/]+/?$`; `*` matches the rest (trailing slashes are ignored). */
function compile(url: string): RegExp {
  const parts = url.split('/').map((segment) => {
    if (segment.startsWith(':')) return '[^/]+'
    if (segment === '*') return '.*'
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  })
  return new RegExp(`^${parts.join('/')}/?$`)
}
