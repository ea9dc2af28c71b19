import { Counter, Histogram, type Admin, type Registry } from '@isobar/core'

export interface ConsoleMetrics {
  httpRequests: Counter<'method' | 'route' | 'status_code'>
  httpDuration: Histogram<'method' | 'route'>
  kafkaAdminErrors: Counter<'operation' | 'code'>
}

export function createConsoleMetrics(registry: Registry): ConsoleMetrics {
  return {
    httpRequests: new Counter({
      name: 'isobar_console_http_requests_total',
      help: 'HTTP requests answered, by route template and status',
      labelNames: ['method', 'route', 'status_code'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'isobar_console_http_request_duration_seconds',
      help: 'HTTP request duration by route template',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    kafkaAdminErrors: new Counter({
      name: 'isobar_console_kafka_admin_errors_total',
      help: 'Kafka admin calls that failed, by operation and error code',
      labelNames: ['operation', 'code'],
      registers: [registry],
    }),
  }
}

/** Wraps every method of an Admin so failures are counted (and still thrown). */
export function instrumentAdmin(admin: Admin, errors: ConsoleMetrics['kafkaAdminErrors']): Admin {
  return new Proxy(admin, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver)
      if (typeof value !== 'function' || typeof property !== 'string') return value
      return async (...args: unknown[]): Promise<unknown> => {
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)
        } catch (error) {
          const code = (error as { code?: unknown }).code
          errors.inc({ operation: property, code: typeof code === 'string' ? code : 'UNKNOWN' })
          throw error
        }
      }
    },
  })
}
