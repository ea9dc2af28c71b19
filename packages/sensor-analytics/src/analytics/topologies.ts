/**
 * Sensor Analytics as three windowed topologies on @isobar/stream:
 *   1. panes:  sensors.readings (keyed by sensor) → 1-minute tumbling pane per sensor → sensor aggregates,
 *              and each closed pane to the internal panes topic keyed by zone (a repartition, as Kafka Streams
 *              does with its `-repartition` topics);
 *   2. zone-1m: panes → zone minutes (tumbling, merge of the zone's sensor panes);
 *   3. hop-5m:  panes → 5-minute windows hopping by 1 minute, per sensor and per zone (merge of 5 panes).
 * Each is its own consumer group and transactional id, with its own changelog, so each restores and fails over
 * on its own. Stage 2 runs in pane time (a pane's timestamp is its start) driven by stage 1's watermarks: every
 * stage-1 task writes its progress to every panes partition, and a stage-2 window closes once all of them passed
 * its end (as Flink and Beam do across a shuffle). So when one partition catches up on a backlog faster than
 * another, no pane of the slower one is late, and results do not depend on processing order.
 */
import { hopping, tumbling, type WindowedTopology } from '@isobar/stream'
import { decodePaneRecord, paneOutput, rollupOutput, watermarkRecords, type AggregateOutputOptions } from './output.ts'
import {
  paneAggregation,
  paneSerde,
  rollupAggregation,
  rollupSerde,
  zoneEntity,
  type Pane,
  type Rollup,
} from './panes.ts'
import { EventTimeAheadError } from '../errors.ts'
import type { Measurement, ReadingDecoder } from './reading.ts'
import { detectorState } from './anomaly/stage.ts'
import type { DetectorParamsTable } from './anomaly/params.ts'

export interface AnalyticsTopics {
  readings: string
  aggregates: string
  /** Internal: closed sensor panes keyed by zone. Default `<applicationId>-panes`. */
  panes: string
  /** Internal: records that arrived after their window closed. Default `<applicationId>-late`. */
  late: string
}

export interface AnalyticsWindowing {
  /** Pane and short window size. Default 60 s. */
  paneMs: number
  /** Hopping window size (a multiple of paneMs). Default 5 min. */
  hopSizeMs: number
  /** How long after a pane's end readings may still arrive, in stream time. Default 10 s. */
  graceMs: number
  /** Wall-clock silence after which a sensor's open pane closes anyway (and a silent partition counts as idle). */
  idleMs: number
  /**
   * How far ahead of the clock a reading may be stamped. Further ahead goes to the dead-letter topic: stream time
   * is the largest event time seen, so one fast clock would make the other sensors late. Default 5 s.
   */
  maxFutureMs: number
  /** Bound on open windows per partition (the oldest closes early when full). Default 200,000. */
  maxWindowsPerPartition: number
}

export interface AnalyticsTopologies {
  panes: WindowedTopology<Measurement, Pane>
  zoneMinutes: WindowedTopology<Pane, Rollup>
  hopping: WindowedTopology<Pane, Rollup>
}

export function analyticsTopologies(options: {
  applicationId: string
  topics: AnalyticsTopics
  windowing: AnalyticsWindowing
  decoder: ReadingDecoder
  output: Omit<AggregateOutputOptions, 'aggregatesTopic'>
  /** The streaming anomaly detector's parameters; undefined = no detector. */
  detector?: DetectorParamsTable
  /** Partitions of the readings (and panes) topic, known once the topics exist. */
  partitions: () => number
}): AnalyticsTopologies {
  const { applicationId, topics, windowing: w, decoder } = options
  const output = { ...options.output, aggregatesTopic: topics.aggregates }
  const common = { outputTopic: topics.aggregates, lateTopic: topics.late, emit: 'final' as const }
  // Stage 2: panes in pane time, closed by stage 1's watermarks (no grace needed: they are exact).
  const rollup = { ...common, inputTopics: [topics.panes], eventTime: 'watermarks' as const }
  return {
    panes: {
      ...common,
      applicationId,
      inputTopics: [topics.readings],
      parse(record) {
        const m = decoder.measurement(record)
        const ahead = m.eventTimeMs - options.output.clock()
        if (ahead > w.maxFutureMs) throw new EventTimeAheadError(m.sensorId, ahead, w.maxFutureMs)
        return { key: m.sensorId, value: m, timestamp: m.eventTimeMs }
      },
      windows: tumbling({ sizeMs: w.paneMs, graceMs: w.graceMs }),
      aggregation: paneAggregation,
      serde: paneSerde,
      ...(options.detector ? { state: detectorState(options.detector) } : {}),
      idle: { afterMs: w.idleMs, scope: 'key' },
      maxWindowsPerPartition: w.maxWindowsPerPartition,
      toOutput: paneOutput({ ...output, panesTopic: topics.panes }),
      progress: (progress) => watermarkRecords(topics.panes, options.partitions(), progress),
    },
    zoneMinutes: {
      ...rollup,
      applicationId: `${applicationId}-zone-1m`,
      parse(record) {
        const decoded = decodePaneRecord(record.value)
        if ('watermark' in decoded) return decoded
        const { start, pane } = decoded
        return pane.zoneId === undefined ? null : { key: zoneEntity(pane.zoneId), value: pane, timestamp: start }
      },
      windows: tumbling({ sizeMs: w.paneMs }),
      aggregation: rollupAggregation,
      serde: rollupSerde,
      maxWindowsPerPartition: w.maxWindowsPerPartition,
      toOutput: rollupOutput({ ...output, windowKind: 'tumbling' }),
    },
    hopping: {
      ...rollup,
      applicationId: `${applicationId}-hop-${Math.round(w.hopSizeMs / 60_000)}m`,
      parse(record) {
        const decoded = decodePaneRecord(record.value)
        if ('watermark' in decoded) return decoded
        const { start, pane } = decoded
        const sensor = { key: pane.sensorId, value: pane, timestamp: start }
        return pane.zoneId === undefined
          ? sensor
          : [sensor, { key: zoneEntity(pane.zoneId), value: pane, timestamp: start }]
      },
      windows: hopping({ sizeMs: w.hopSizeMs, advanceMs: w.paneMs }),
      aggregation: rollupAggregation,
      serde: rollupSerde,
      maxWindowsPerPartition: w.maxWindowsPerPartition,
      toOutput: rollupOutput({ ...output, windowKind: 'hopping' }),
    },
  }
}
