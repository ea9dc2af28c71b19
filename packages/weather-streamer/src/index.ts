// @isobar/weather-streamer: weather sources (simulator, METAR, NOAA replay, Open-Meteo) producing to Kafka.
export {
  DEAD_LETTER_TOPIC,
  OBSERVATIONS_TOPIC,
  OBSERVATION_SUBJECT,
  SOURCE_DESCRIPTIONS,
  SOURCE_NAMES,
  WIRE_SOURCE,
  isSourceName,
  observationSchema,
  type RejectReason,
  type SourceName,
  type WeatherObservation,
  type WireSource,
} from './observation.ts'
export * from './errors.ts'
export {
  ALERTS_TOPIC,
  DEFAULT_ALERT_RULES_FILE,
  parseWeatherConfig,
  weatherConfigSchema,
  type WeatherStreamerConfig,
} from './config.ts'
export {
  DEFAULT_ALERT_TICK_MS,
  WeatherAlerting,
  intervalTimer,
  loadWeatherAlertRules,
  type TickTimer,
  type WeatherAlertingOptions,
} from './alerts.ts'
export { buildWeatherStreamer, type SourceSummary, type WeatherStreamer, type WeatherStreamerDeps } from './app.ts'
export { runWeatherService, type RunServiceOptions } from './service.ts'
export { plainJsonEncoder, registryEncoder, type ObservationEncoder } from './encoder.ts'
export {
  ObservationPublisher,
  RECENT_EVENT_MS,
  REASON_HEADER_PREFIX,
  recordTimestamp,
  SOURCE_HEADER,
  type ObservationSink,
  type PublisherOptions,
  type SourceStats,
  type StreamName,
} from './publisher.ts'
export { WeatherMetrics } from './metrics.ts'
export { ensureTopics, type TopicSettings } from './topics.ts'
export { createSources } from './sources/index.ts'
export { Pacer, sleep, type SourceContext, type WeatherSource } from './sources/source.ts'
export { StationSimulator, simulatorSource, type SimulatorOptions } from './sources/simulator.ts'
export { anchorTime, metarToObservation, splitReports, type MetarResult } from './sources/metar-parse.ts'
export { metarSource, type MetarInput, type MetarSourceOptions } from './sources/metar-source.ts'
export {
  WEATHER_CSV_STATIONS,
  defaultReplayFile,
  replayRowToObservation,
  replaySource,
  type ReplayOptions,
  type ReplayStation,
} from './sources/replay.ts'
export {
  OPEN_METEO_URL,
  openMeteoRequestUrl,
  openMeteoSource,
  openMeteoToObservation,
  type OpenMeteoLocation,
  type OpenMeteoOptions,
} from './sources/open-meteo.ts'
export { loadStationTable, parseStationTable, type StationInfo, type StationTable } from './sources/stations.ts'
export { WEATHER_ENV, weatherConfigFromEnv } from './env.ts'
