/**
 * What "recovered, nothing lost, nothing doubled" means, checked against what the topics hold:
 * - every acknowledged reading is in the readings topic;
 * - the aggregates of every window that ends at or before a cutoff equal a clean batch computation over the
 *   readings in the topic (assertMatchesBatch: each window once, counts, extremes, mean, stddev, p95);
 * - the alert events up to the cutoff equal those of a clean alert engine fed the same readings in log order
 *   (none missing, none repeated);
 * - the lag status of every analytics group is OK.
 */
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { AlertEngine, fieldAccessor, loadRulesFile, type AlertEvent } from '@isobar/alerts'
import type { ConsumedRecord, KafkaClient } from '@isobar/core'
import {
  assertMatchesBatch,
  batchWindows,
  rowId,
  type AggregateRow,
  type ExpectedWindow,
  type TestReading,
} from '../../test/analytics/helpers.ts'
import { getText, waitUntil } from '../../test/analytics/service-helpers.ts'
import { explainMissingWindow } from './explain.ts'
import { ID_HEADER, type ReadingLoad } from './load.ts'
import { TopicTail } from './tail.ts'

export const ALERT_RULES_FILE = fileURLToPath(new URL('../fixtures/chaos-alerts.yaml', import.meta.url))

export interface VerifierOptions {
  kafka: KafkaClient
  load: ReadingLoad
  topics: { readings: string; aggregates: string; alerts: string; partitions: number }
  windowing: { paneMs: number; hopSizeMs: number }
  /** The analytics application id: its stages' changelogs and internal topics explain a missing window. */
  applicationId: string
  /** /metrics ports of the analytics workers that run now. */
  metricsPorts: () => number[]
}

const alertId = (e: Pick<AlertEvent, 'ruleId' | 'entityId' | 'change' | 'eventTimeMs' | 'value'>): string =>
  `${e.ruleId}|${e.entityId}|${e.change}|${e.eventTimeMs}|${e.value}`

export class Verifier {
  readonly #o: VerifierOptions
  readonly #readings: TopicTail
  readonly #aggregates: TopicTail
  readonly #alerts: TopicTail
  readonly #rows = new Map<string, AggregateRow[]>()
  /** Where each row of #rows was read (partition, offset, emission time, count): what a duplicate report shows. */
  readonly #positions = new Map<string, string[]>()

  constructor(options: VerifierOptions) {
    this.#o = options
    const { kafka, topics } = options
    this.#readings = new TopicTail(kafka, topics.readings, topics.partitions)
    this.#aggregates = new TopicTail(kafka, topics.aggregates, topics.partitions)
    this.#alerts = new TopicTail(kafka, topics.alerts, topics.partitions)
  }

  /** The cutoff a check after a fault uses: a few panes past the newest reading acknowledged now. */
  cutoffAfterNow(panes = 5): number {
    const { paneMs } = this.#o.windowing
    return Math.floor(this.#o.load.newestAckedEventMs / paneMs) * paneMs + panes * paneMs
  }

  /**
   * Waits (bounded) until the load is past the cutoff, the analytics committed every window up to it and their
   * lag status is OK again; resolves the time that happened, or throws naming what did not recover.
   */
  async awaitRecovery(
    cutoffMs: number,
    timeoutMs: number,
  ): Promise<{ recoveredAt: number; phases: Record<'loadPast' | 'windows' | 'lagOk', number> }> {
    const deadline = Date.now() + timeoutMs
    const left = (): number => Math.max(1000, deadline - Date.now())
    // Past the cutoff by more than the disorder and the grace: every reading of those windows is in the log.
    assert.ok(await this.#o.load.reach(cutoffMs + 2000, left()), `the load did not get past ${cutoffMs}`)
    const loadPast = Date.now()
    const expected = await this.#expectedWindows(cutoffMs)
    let committed = 0
    const complete = await waitUntil(
      async () => {
        await this.#pollAggregates()
        committed = this.#countUpTo(cutoffMs)
        return committed >= expected.size
      },
      left(),
      1000,
    )
    if (!complete) {
      const missing = [...expected.keys()].filter((id) => !this.#rows.has(id))
      const { kafka, applicationId, topics, windowing } = this.#o
      const first = expected.get(missing[0] ?? '')
      const explained =
        first &&
        (await explainMissingWindow(
          {
            kafka,
            applicationId,
            partitions: topics.partitions,
            windowing,
            topics: { panes: `${applicationId}-panes`, late: `${applicationId}-late` },
          },
          first,
        ))
      assert.fail(
        `aggregates up to ${cutoffMs}: ${committed} of ${expected.size} windows committed; missing ` +
          `${missing.slice(0, 12).join(', ')}\n${explained ?? ''}`,
      )
    }
    const windows = Date.now()
    let statuses: number[] = []
    const ok = await waitUntil(
      async () => {
        statuses = await this.#lagStatuses()
        return statuses.length > 0 && statuses.every((s) => s === 0)
      },
      left(),
      1000,
    )
    assert.ok(ok, `lag status of the analytics groups back to OK (0): ${JSON.stringify(statuses)}`)
    const lagOk = Date.now()
    return { recoveredAt: lagOk, phases: { loadPast, windows, lagOk } }
  }

  /** Every acknowledged reading is in the readings topic; resolves how many were checked. */
  async assertNoAcknowledgedLoss(): Promise<number> {
    const acked = [...this.#o.load.acked]
    await this.#readings.poll()
    const present = new Set(this.#readings.records.map((r) => Number(r.headers[ID_HEADER]?.toString())))
    const lost = acked.filter((id) => !present.has(id))
    assert.deepEqual(lost.slice(0, 20), [], `${lost.length} of ${acked.length} acknowledged readings lost`)
    return acked.length
  }

  /** The committed aggregates of every window ending at or before the cutoff equal the clean computation. */
  async assertAggregates(cutoffMs: number): Promise<{ windows: number; duplicates: number }> {
    const expected = await this.#expectedWindows(cutoffMs)
    await this.#pollAggregates()
    // A window in the committed output more than once, with where each copy is (read_committed: an aborted
    // transaction's records are never read, so every copy here was committed).
    const doubled = [...this.#rows]
      .filter(([, copies]) => copies.length > 1 && copies[0]!.windowEndMs <= cutoffMs)
      .map(([id]) => `${id}: ${this.#positions.get(id)!.join('; ')}`)
    assert.deepEqual(doubled.slice(0, 5), [], `${doubled.length} windows emitted more than once`)
    const rows = [...this.#rows.values()].flat().filter((r) => r.windowEndMs <= cutoffMs)
    const duplicates = rows.length - new Set(rows.map(rowId)).size
    assertMatchesBatch(rows, expected)
    return { windows: expected.size, duplicates }
  }

  /**
   * Alert events with event time in [fromMs, cutoffMs): exactly those of a clean engine over the same readings.
   * Each scenario checks the events of its own stretch of event time.
   */
  async assertAlerts(
    fromMs: number,
    cutoffMs: number,
    timeoutMs: number,
  ): Promise<{ events: number; doubled: number }> {
    await this.#readings.poll()
    const engine = new AlertEngine<TestReading>({
      rules: await loadRulesFile(ALERT_RULES_FILE),
      accessor: fieldAccessor<TestReading>({ entity: 'sensorId', time: 'eventTimeMs' }),
      clock: () => 0,
    })
    const expected = new Map<string, number>()
    for (const record of inLogOrder(this.#readings.records)) {
      for (const event of engine.ingest(reading(record))) {
        if (event.eventTimeMs >= fromMs && event.eventTimeMs < cutoffMs) {
          expected.set(alertId(event), (expected.get(alertId(event)) ?? 0) + 1)
        }
      }
    }
    let actual = new Map<string, number>()
    let missing: string[] = []
    await waitUntil(
      async () => {
        await this.#alerts.poll()
        actual = new Map()
        for (const record of this.#alerts.records) {
          const event = JSON.parse(record.value!.toString('utf8')) as AlertEvent
          if (event.eventTimeMs >= fromMs && event.eventTimeMs < cutoffMs) {
            actual.set(alertId(event), (actual.get(alertId(event)) ?? 0) + 1)
          }
        }
        missing = [...expected].filter(([id, n]) => (actual.get(id) ?? 0) < n).map(([id]) => id)
        return missing.length === 0
      },
      timeoutMs,
      1000,
    )
    const doubled = [...actual].filter(([id, n]) => n > (expected.get(id) ?? 0)).map(([id, n]) => `${id} x${n}`)
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} alert events lost`)
    assert.deepEqual(doubled.slice(0, 10), [], `${doubled.length} alert events doubled or unexpected`)
    return { events: [...expected.values()].reduce((a, b) => a + b, 0), doubled: doubled.length }
  }

  async #expectedWindows(cutoffMs: number): Promise<Map<string, ExpectedWindow>> {
    await this.#readings.poll()
    const before = this.#readings.records.map(reading).filter((r) => r.eventTimeMs < cutoffMs)
    const all = batchWindows(before, this.#o.windowing)
    return new Map([...all].filter(([, w]) => w.end <= cutoffMs))
  }

  async #pollAggregates(): Promise<void> {
    for (const record of await this.#aggregates.poll()) {
      const row = JSON.parse(record.value!.toString('utf8')) as AggregateRow
      const id = rowId(row)
      this.#rows.set(id, [...(this.#rows.get(id) ?? []), row])
      const at = `p${record.partition}@${record.offset} emitted ${new Date(row.emittedAtMs ?? 0).toISOString()} count ${row.count}`
      this.#positions.set(id, [...(this.#positions.get(id) ?? []), at])
    }
  }

  #countUpTo(cutoffMs: number): number {
    let n = 0
    for (const rows of this.#rows.values()) if (rows[0]!.windowEndMs <= cutoffMs) n++
    return n
  }

  async #lagStatuses(): Promise<number[]> {
    const statuses: number[] = []
    for (const port of this.#o.metricsPorts()) {
      try {
        const { body } = await getText(port, '/metrics')
        for (const line of body.split('\n')) {
          if (line.startsWith('isobar_consumer_group_status{'))
            statuses.push(Number(line.slice(line.lastIndexOf(' ') + 1)))
        }
      } catch {
        statuses.push(-1)
      }
    }
    return statuses
  }
}

function reading(record: ConsumedRecord): TestReading {
  return JSON.parse(record.value!.toString('utf8')) as TestReading
}

/** Per partition in offset order (what a consumer of the readings sees per sensor). */
function inLogOrder(records: readonly ConsumedRecord[]): ConsumedRecord[] {
  return [...records].sort(
    (a, b) => a.partition - b.partition || (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0),
  )
}
