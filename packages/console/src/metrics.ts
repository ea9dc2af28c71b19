import { Counter, createHttpMetrics, type Admin, type HttpMetrics, type Registry } from '@isobar/core'

export interface ConsoleMetrics {
  http: HttpMetrics
  kafkaAdminErrors: Counter<'operation' | 'code'>
}

export function createConsoleMetrics(registry: Registry): ConsoleMetrics {
  return {
    http: createHttpMetrics(registry, 'isobar_console'),
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
