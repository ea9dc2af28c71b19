import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export { Counter, Gauge, Histogram, Registry } from 'prom-client'

/**
 * One Prometheus registry per process (never prom-client's global), with the Node runtime metrics and a
 * `service` label on everything; each service serves it on /metrics.
 */
export function createMetricsRegistry(service: string, options: { runtimeMetrics?: boolean } = {}): Registry {
  const registry = new Registry()
  registry.setDefaultLabels({ service })
  if (options.runtimeMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'isobar_' })
  return registry
}

export interface HttpMetrics {
  /** Records one answered request: route is the route template (`/subjects/:subject`), not the raw URL. */
  observe(method: string, route: string, statusCode: number, seconds: number): void
}

/**
 * The HTTP request metrics every Isobar HTTP service exposes (`<prefix>_http_requests_total` by method, route
 * and status, `<prefix>_http_request_duration_seconds` by method and route), independent of the web framework.
 */
export function createHttpMetrics(registry: Registry, prefix: string): HttpMetrics {
  const requests = new Counter({
    name: `${prefix}_http_requests_total`,
    help: 'HTTP requests answered, by route template and status',
    labelNames: ['method', 'route', 'status_code'],
    registers: [registry],
  })
  const duration = new Histogram({
    name: `${prefix}_http_request_duration_seconds`,
    help: 'HTTP request duration by route template',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  return {
    observe(method, route, statusCode, seconds) {
      requests.inc({ method, route, status_code: String(statusCode) })
      duration.observe({ method, route }, seconds)
    },
  }
}
