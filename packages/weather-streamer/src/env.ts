/**
 * The Weather Streamer process's environment, read once by main.ts through `loadConfig` (docs/configuration.md is
 * generated from WEATHER_ENV). The variables are shortcuts over WEATHER_CONFIG, the whole config as JSON, which
 * `parseWeatherConfig` then validates as a whole.
 */
import { definedEntries, LOG_LEVEL_VAR, loadConfig, type Env, type EnvSchema } from '@isobar/core'
import { defaultReplayFile } from './sources/replay.ts'

export const WEATHER_ENV = {
  name: 'weather streamer',
  title: 'Weather Streamer (`packages/weather-streamer/src/main.ts`)',
  vars: {
    WEATHER_CONFIG: { type: 'json', description: 'the whole config (schema in `config.ts`); the variables below win' },
    WEATHER_SOURCES: { type: 'string', description: 'comma list of `sim`, `metar`, `replay`, `openmeteo`' },
    WEATHER_STATIONS: { type: 'integer', min: 1, max: 100_000, description: 'simulated stations (default 10)' },
    WEATHER_RATE: { type: 'number', min: 0, max: 1_000_000, description: 'simulated observations per second' },
    WEATHER_SPEEDUP: { type: 'number', min: 0, max: 1_000_000, description: 'simulated time per wall-clock second' },
    WEATHER_DURATION_S: { type: 'number', min: 0, max: 1e9, description: 'stop after this many seconds (0: run on)' },
    WEATHER_METAR_INPUT: { type: 'string', description: 'METAR reports: a file, `-` for stdin, or a URL' },
    WEATHER_METAR_STATIONS: { type: 'string', description: 'station list file for METAR (icao,lat,lon,elev)' },
    WEATHER_REPLAY_FILE: { type: 'string', description: "CSV to replay (default: NOAA's Seattle daily history)" },
    WEATHER_OPENMETEO_URL: { type: 'url', description: 'Open-Meteo API base URL' },
    METRICS_PORT: {
      type: 'integer',
      min: 0,
      max: 65_535,
      description: '/metrics, /health, /ready port (default 9464)',
    },
    METRICS_HOST: {
      type: 'string',
      description: 'interface of /metrics, /health, /ready (default 127.0.0.1; 0.0.0.0 in a container)',
    },
    SCHEMA_REGISTRY_URL: {
      type: 'url',
      secret: true,
      description: 'validate and frame values through this registry; unset: plain JSON values',
    },
    LOG_LEVEL: LOG_LEVEL_VAR,
  },
} as const satisfies EnvSchema

/** The raw Weather Streamer config from the environment, for `parseWeatherConfig`. */
export function weatherConfigFromEnv(env: Env): Record<string, unknown> {
  const c = loadConfig(WEATHER_ENV, env)
  const base = c.WEATHER_CONFIG ?? {}
  const section = (name: string) => (base[name] ?? {}) as Record<string, unknown>
  return {
    ...base,
    ...definedEntries({
      sources: c.WEATHER_SOURCES?.split(',').map((s) => s.trim()),
      durationS: c.WEATHER_DURATION_S,
      metricsPort: c.METRICS_PORT ?? base.metricsPort ?? 9464,
      metricsHost: c.METRICS_HOST,
      registryUrl: c.SCHEMA_REGISTRY_URL,
    }),
    sim: {
      ...section('sim'),
      ...definedEntries({ stations: c.WEATHER_STATIONS, rate: c.WEATHER_RATE, speedup: c.WEATHER_SPEEDUP }),
    },
    metar: {
      ...section('metar'),
      ...definedEntries({ input: c.WEATHER_METAR_INPUT, stationsFile: c.WEATHER_METAR_STATIONS }),
    },
    // The replay default is NOAA's real Seattle daily data shipped in @observablehq/sample-datasets.
    // (WEATHER_CONFIG's replay.file counts too: `isobar weather run --replay-file` passes it that way.)
    replay: {
      ...section('replay'),
      file: c.WEATHER_REPLAY_FILE ?? section('replay').file ?? defaultReplayFile(),
    },
    openmeteo: { ...section('openmeteo'), ...definedEntries({ url: c.WEATHER_OPENMETEO_URL }) },
  }
}
