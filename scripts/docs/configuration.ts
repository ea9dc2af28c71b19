/** docs/configuration.md, generated from the configuration schemas of the processes that use `loadConfig`. */
import { CONSOLE_ENV } from '@isobar/console'
import { KAFKA_ENV, renderConfigurationDoc, type EnvSchema } from '@isobar/core'
import { REGISTRY_ENV } from '@isobar/registry'

export const CONFIG_SCHEMAS: readonly EnvSchema[] = [KAFKA_ENV, REGISTRY_ENV, CONSOLE_ENV]

const NOT_YET = `
## Weather Streamer and Sensor Analytics

These two still read their own variables through their JSON-Schema config (\`WEATHER_*\` in
\`packages/weather-streamer/src/config.ts\`, \`ANALYTICS_*\` / \`ANALYTICS_CONFIG\` in
\`packages/sensor-analytics/src/analytics/config.ts\`); invalid values raise the same
\`ISOBAR_CORE_CONFIG_INVALID\` error.
`

export function renderConfigurationMarkdown(): string {
  return renderConfigurationDoc(CONFIG_SCHEMAS) + NOT_YET
}
