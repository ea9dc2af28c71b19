// @isobar/sensor-analytics is a service: nothing imports it at run time (ESLint refuses it in src). This index
// exists for the docs generator (scripts/docs): the service's configuration schema and error catalogue.
export { ANALYTICS_ENV, analyticsConfigFromEnv } from './analytics/env.ts'
export { SensorAnalyticsErrorCatalogue } from './errors.ts'
