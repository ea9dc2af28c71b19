/** docs/configuration.md, generated from the configuration schemas every process reads its environment through. */
import { CONSOLE_ENV } from '@isobar/admin-api'
import { KAFKA_ENV, renderConfigurationDoc, type EnvSchema } from '@isobar/core'
import { REGISTRY_ENV } from '@isobar/registry'
import { ANALYTICS_ENV } from '@isobar/sensor-analytics'
import { WEATHER_ENV } from '@isobar/weather-streamer'

export const CONFIG_SCHEMAS: readonly EnvSchema[] = [KAFKA_ENV, REGISTRY_ENV, CONSOLE_ENV, WEATHER_ENV, ANALYTICS_ENV]

export function renderConfigurationMarkdown(): string {
  return renderConfigurationDoc(CONFIG_SCHEMAS)
}
