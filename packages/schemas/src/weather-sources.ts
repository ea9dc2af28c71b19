/**
 * The Weather Streamer's source kinds: what `WEATHER_SOURCES`, `WEATHER_CONFIG.sources` and `isobar weather run
 * --sources` accept. Kept here, beside the observation schema whose `source` field they fill, so the CLI can
 * offer and check them without importing the service.
 */
export const WEATHER_SOURCE_NAMES = ['sim', 'metar', 'replay', 'openmeteo'] as const
export type WeatherSourceName = (typeof WEATHER_SOURCE_NAMES)[number]

export const WEATHER_SOURCE_DESCRIPTIONS: Readonly<Record<WeatherSourceName, string>> = {
  sim: 'Simulated stations: diurnal cycle, moving pressure systems, rain events; deterministic per seed',
  metar: 'METAR text (aviationweather.gov raw format) from a file, stdin or an HTTP endpoint',
  replay: 'Historical NOAA daily observations from a CSV (weather.csv), replayed with a time-scale factor',
  openmeteo: 'Open-Meteo current-weather API poller (no key), with backoff on errors and 429',
}

export function isWeatherSourceName(value: string): value is WeatherSourceName {
  return (WEATHER_SOURCE_NAMES as readonly string[]).includes(value)
}
