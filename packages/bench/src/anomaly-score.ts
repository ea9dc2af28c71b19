/**
 * Scores anomaly detections against labels (pure; see anomaly-bench.ts for the pipeline run).
 *  - Windows: a sensor window is labelled when any of its readings is; detected when the streaming detector
 *    counted an anomalous reading in it (any quantity), or, for comparison, when the in-window z flag is set.
 *  - Events: maximal runs of labelled readings of one sensor. Detected when an anomaly alert episode
 *    [fired, resolved] overlaps it; the delay is counted from the event's first reading to the onset.
 *  - False episodes: alert episodes overlapping no event, per sensor-day of data.
 */

export interface LabelledReading {
  sensorId: string
  eventTimeMs: number
  label: boolean
  values: Record<string, number>
}

export interface WindowRow {
  sensorId: string
  field: string
  windowKind: string
  windowStartMs: number
  windowEndMs: number
  anomalousReadings: number
  flagged: boolean
}

export interface Episode {
  sensorId: string
  ruleId: string
  onsetMs: number
  /** Infinity while still firing at the end of the run. */
  endMs: number
}

export interface Confusion {
  windows: number
  labelled: number
  tp: number
  fp: number
  fn: number
  precision: number
  recall: number
  f1: number
}

export interface EventScore {
  sensorId: string
  startMs: number
  endMs: number
  readings: number
  detected: boolean
  /** Readings from the event's first one to the onset (0 = at the first labelled reading). */
  delayReadings: number | undefined
  delaySeconds: number | undefined
}

export interface AnomalyScores {
  sensors: number
  readings: number
  labelledReadings: number
  sensorDays: number
  windows: Record<string, { detector: Confusion; inWindowZ: Confusion }>
  events: EventScore[]
  eventRecall: number
  maxDelayReadings: number | undefined
  episodes: number
  falseEpisodes: number
  falseEpisodesPerSensorDay: number
}

function confusion(labelled: Map<string, boolean>, predicted: Map<string, boolean>): Confusion {
  let tp = 0
  let fp = 0
  let fn = 0
  let positives = 0
  for (const [id, isLabelled] of labelled) {
    const p = predicted.get(id) ?? false
    if (isLabelled) positives++
    if (p && isLabelled) tp++
    else if (p) fp++
    else if (isLabelled) fn++
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp)
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn)
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { windows: labelled.size, labelled: positives, tp, fp, fn, precision, recall, f1 }
}

function bySensor(readings: readonly LabelledReading[]): Map<string, LabelledReading[]> {
  const out = new Map<string, LabelledReading[]>()
  for (const r of readings) {
    let list = out.get(r.sensorId)
    if (!list) out.set(r.sensorId, (list = []))
    list.push(r)
  }
  for (const list of out.values()) list.sort((a, b) => a.eventTimeMs - b.eventTimeMs)
  return out
}

/** Window scores for one window kind ('tumbling' = the 1-minute panes, 'hopping' = 5-minute windows). */
function scoreWindows(readings: Map<string, LabelledReading[]>, rows: readonly WindowRow[], kind: string) {
  const labelled = new Map<string, boolean>()
  const detector = new Map<string, boolean>()
  const inWindowZ = new Map<string, boolean>()
  const bounds = new Map<string, WindowRow>()
  for (const row of rows) {
    if (row.windowKind !== kind) continue
    const id = `${row.sensorId}|${row.windowStartMs}`
    bounds.set(id, row)
    detector.set(id, (detector.get(id) ?? false) || row.anomalousReadings > 0)
    inWindowZ.set(id, (inWindowZ.get(id) ?? false) || row.flagged)
  }
  for (const [id, row] of bounds) {
    const list = readings.get(row.sensorId) ?? []
    labelled.set(
      id,
      list.some((r) => r.label && r.eventTimeMs >= row.windowStartMs && r.eventTimeMs < row.windowEndMs),
    )
  }
  return { detector: confusion(labelled, detector), inWindowZ: confusion(labelled, inWindowZ) }
}

export function scoreAnomalies(
  readings: readonly LabelledReading[],
  rows: readonly WindowRow[],
  episodes: readonly Episode[],
): AnomalyScores {
  const sensors = bySensor(readings)
  const events: EventScore[] = []
  for (const [sensorId, list] of sensors) {
    let start = -1
    for (let i = 0; i <= list.length; i++) {
      const labelled = i < list.length && list[i]!.label
      if (labelled && start < 0) start = i
      if (!labelled && start >= 0) {
        const first = list[start]!
        const last = list[i - 1]!
        const overlapping = episodes
          .filter((e) => e.sensorId === sensorId && e.onsetMs <= last.eventTimeMs && e.endMs >= first.eventTimeMs)
          .sort((a, b) => a.onsetMs - b.onsetMs)
        const onset = overlapping[0]?.onsetMs
        let delayReadings: number | undefined
        if (onset !== undefined) {
          delayReadings = 0
          for (let k = start; k < i && list[k]!.eventTimeMs < onset; k++) delayReadings++
        }
        events.push({
          sensorId,
          startMs: first.eventTimeMs,
          endMs: last.eventTimeMs,
          readings: i - start,
          detected: onset !== undefined,
          delayReadings,
          delaySeconds: onset === undefined ? undefined : Math.max(0, onset - first.eventTimeMs) / 1000,
        })
        start = -1
      }
    }
  }
  const falseEpisodes = episodes.filter(
    (e) => !events.some((ev) => ev.sensorId === e.sensorId && e.onsetMs <= ev.endMs && e.endMs >= ev.startMs),
  ).length
  let sensorDays = 0
  for (const list of sensors.values()) sensorDays += (list.at(-1)!.eventTimeMs - list[0]!.eventTimeMs) / 86_400_000
  const delays = events.flatMap((e) => (e.delayReadings === undefined ? [] : [e.delayReadings]))
  return {
    sensors: sensors.size,
    readings: readings.length,
    labelledReadings: readings.filter((r) => r.label).length,
    sensorDays,
    windows: Object.fromEntries(['tumbling', 'hopping'].map((kind) => [kind, scoreWindows(sensors, rows, kind)])),
    events,
    eventRecall: events.length === 0 ? 0 : events.filter((e) => e.detected).length / events.length,
    maxDelayReadings: delays.length === 0 ? undefined : Math.max(...delays),
    episodes: episodes.length,
    falseEpisodes,
    falseEpisodesPerSensorDay: sensorDays === 0 ? 0 : falseEpisodes / sensorDays,
  }
}

/** Builds episodes from alert events (fired … resolved) of the given rules. */
export function episodesFromAlerts(
  alerts: ReadonlyArray<{ ruleId: string; entityId: string; change: string; eventTimeMs: number }>,
  ruleIds: ReadonlySet<string>,
): Episode[] {
  const open = new Map<string, Episode>()
  const episodes: Episode[] = []
  for (const a of [...alerts].sort((x, y) => x.eventTimeMs - y.eventTimeMs)) {
    if (!ruleIds.has(a.ruleId)) continue
    const key = `${a.ruleId}+${a.entityId}`
    if (a.change === 'fired') {
      const episode = { sensorId: a.entityId, ruleId: a.ruleId, onsetMs: a.eventTimeMs, endMs: Infinity }
      open.set(key, episode)
      episodes.push(episode)
    } else if (a.change === 'resolved') {
      const episode = open.get(key)
      if (episode) episode.endMs = a.eventTimeMs
      open.delete(key)
    }
  }
  return episodes
}
