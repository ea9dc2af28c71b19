import { Registry, collectDefaultMetrics } from 'prom-client'

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
