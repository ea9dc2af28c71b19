-- Isobar history tables (PostgreSQL 15), applied by `isobar db start` (idempotent). The Kafka Connect JDBC sinks
-- (deploy/connect/*.json) upsert into them: each primary key is the identity of one fact, so a redelivered or
-- re-emitted record overwrites its row instead of adding one. Times are kept as the messages carry them
-- (ms since the epoch, UTC) plus a generated timestamptz column for SQL. A BRIN index on the time column keeps
-- range scans cheap on these append-mostly tables; isobar_history_prune() applies the retention (docs/history.md).

-- sensors.aggregates: one row per (entity, field, window kind, window start, window end). The window end encodes
-- the window size (end - start), and unlike windowSizeMs it is required in every schema version.
CREATE TABLE IF NOT EXISTS sensor_aggregates (
  sensor_id text NOT NULL,                 -- a sensor id, or zone:<zoneId> for zone statistics
  field text NOT NULL,                     -- the reading field aggregated (its name carries the unit)
  window_kind text NOT NULL,               -- tumbling | hopping
  window_start_ms bigint NOT NULL,
  window_end_ms bigint NOT NULL,
  window_size_ms bigint,
  scope text,                              -- sensor | zone
  zone_id text,
  count bigint NOT NULL,
  min double precision NOT NULL,
  max double precision NOT NULL,
  mean double precision NOT NULL,
  stddev double precision,
  p95 double precision,
  sensors bigint,
  anomaly_max_z double precision,
  anomaly_outliers bigint,
  anomaly_flagged boolean,
  anomaly_anomalous_readings bigint,
  anomaly_max_score double precision,
  emitted_at_ms bigint NOT NULL,
  final boolean NOT NULL,
  window_start timestamptz GENERATED ALWAYS AS (to_timestamp(window_start_ms / 1000.0)) STORED,
  PRIMARY KEY (sensor_id, field, window_kind, window_start_ms, window_end_ms)
);
CREATE INDEX IF NOT EXISTS sensor_aggregates_window_start_brin ON sensor_aggregates USING brin (window_start_ms);
CREATE INDEX IF NOT EXISTS sensor_aggregates_zone ON sensor_aggregates (zone_id, field, window_start_ms);

-- sensors.alerts and weather.alerts: one row per alert event (an alert's fired, acknowledged, resolved ... events).
CREATE TABLE IF NOT EXISTS alerts (
  alert_id text NOT NULL,
  raised_at_ms bigint NOT NULL,
  state text NOT NULL,                     -- firing | resolved
  rule_id text NOT NULL,
  entity_id text NOT NULL,                 -- the sensor or station
  severity text NOT NULL,
  field text NOT NULL,
  value double precision,
  threshold double precision,
  message text,
  event_time_ms bigint NOT NULL,
  change text,
  firing_since_ms bigint,
  acknowledged_by text,
  acknowledged_at_ms bigint,
  silenced_until_ms bigint,
  flapping boolean,
  notify boolean,
  raised_at timestamptz GENERATED ALWAYS AS (to_timestamp(raised_at_ms / 1000.0)) STORED,
  PRIMARY KEY (alert_id, raised_at_ms, state)
);
CREATE INDEX IF NOT EXISTS alerts_raised_at_brin ON alerts USING brin (raised_at_ms);
CREATE INDEX IF NOT EXISTS alerts_entity ON alerts (entity_id, raised_at_ms);

-- weather.observations: one row per (station, event time).
CREATE TABLE IF NOT EXISTS weather_observations (
  station_id text NOT NULL,
  event_time_ms bigint NOT NULL,
  source text NOT NULL,
  ingest_time_ms bigint NOT NULL,
  location_latitude_deg double precision NOT NULL,
  location_longitude_deg double precision NOT NULL,
  location_elevation_m double precision,
  temperature_c double precision,
  relative_humidity_pct double precision,
  pressure_pa double precision,
  wind_speed_mps double precision,
  wind_direction_deg double precision,
  precipitation_mm double precision,
  wind_gust_mps double precision,
  dew_point_c double precision,
  visibility_m double precision,
  event_time timestamptz GENERATED ALWAYS AS (to_timestamp(event_time_ms / 1000.0)) STORED,
  PRIMARY KEY (station_id, event_time_ms)
);
CREATE INDEX IF NOT EXISTS weather_observations_event_time_brin ON weather_observations USING brin (event_time_ms);

-- Retention: deletes what is older than `keep` (by window start, raise time, event time); returns rows deleted.
CREATE OR REPLACE FUNCTION isobar_history_prune(keep interval DEFAULT interval '30 days') RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  cutoff bigint := (extract(epoch FROM now() - keep) * 1000)::bigint;
  total bigint := 0;
  n bigint;
BEGIN
  DELETE FROM sensor_aggregates WHERE window_start_ms < cutoff;
  GET DIAGNOSTICS n = ROW_COUNT;
  total := total + n;
  DELETE FROM alerts WHERE raised_at_ms < cutoff;
  GET DIAGNOSTICS n = ROW_COUNT;
  total := total + n;
  DELETE FROM weather_observations WHERE event_time_ms < cutoff;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN total + n;
END
$$;
