import { Counter, createHttpMetrics, type Admin, type HttpMetrics, type Registry } from '@isobar/core'
import { httpStatusOf } from './errors.ts'

export interface ConsoleMetrics {
  http: HttpMetrics
  /** Admin calls that failed in Kafka (or reaching it): broker errors, timeouts, unreachable cluster. */
  kafkaAdminErrors: Counter<'operation' | 'code'>
  /** Admin calls refused because of the request (unknown topic or group, topic exists, group active…). */
  clientErrors: Counter<'operation' | 'code'>
}

export function createConsoleMetrics(registry: Registry): ConsoleMetrics {
  return {
    http: createHttpMetrics(registry, 'isobar_console'),
    kafkaAdminErrors: new Counter({
      name: 'isobar_console_kafka_admin_errors_total',
      help: 'Kafka admin calls that failed in Kafka (5xx answers), by operation and error code',
      labelNames: ['operation', 'code'],
      registers: [registry],
    }),
    clientErrors: new Counter({
      name: 'isobar_console_admin_client_errors_total',
      help: 'Kafka admin calls refused because of the request (4xx answers: unknown topic, group active…)',
      labelNames: ['operation', 'code'],
      registers: [registry],
    }),
  }
}

/** Wraps every method of an Admin so failures are counted (and still thrown): client mistakes apart. */
export function instrumentAdmin(
  admin: Admin,
  metrics: Pick<ConsoleMetrics, 'kafkaAdminErrors' | 'clientErrors'>,
): Admin {
  return new Proxy(admin, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver)
      if (typeof value !== 'function' || typeof property !== 'string') return value
      return async (...args: unknown[]): Promise<unknown> => {
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)
        } catch (error) {
          const raw = (error as { code?: unknown }).code
          const code = typeof raw === 'string' ? raw : 'UNKNOWN'
          const counter = httpStatusOf(code) < 500 ? metrics.clientErrors : metrics.kafkaAdminErrors
          counter.inc({ operation: property, code })
          throw error
        }
      }
    },
  })
}
