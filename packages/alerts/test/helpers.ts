import { AlertEngine, fieldAccessor, parseRules, type AlertEvent } from '@isobar/alerts'

export interface Sample {
  entityId: string
  eventTimeMs: number
  x?: number
}

export const MIN = 60_000

/** An engine over { entityId, eventTimeMs, x } samples with a settable clock and predictable alert ids. */
export function fakeEngine(rules: object[]): {
  engine: AlertEngine<Sample>
  clock: { now: number }
} {
  const clock = { now: 0 }
  let n = 0
  const engine = new AlertEngine<Sample>({
    rules: parseRules({ rules }),
    accessor: fieldAccessor<Sample>(),
    clock: () => clock.now,
    newId: () => `alert-${++n}`,
  })
  return { engine, clock }
}

/** "change:state@eventTime" — compact enough to compare whole sequences in tables. */
export function brief(events: AlertEvent[]): string[] {
  return events.map((e) => `${e.change}:${e.state}@${e.eventTimeMs / MIN}m`)
}
