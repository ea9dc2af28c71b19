import { useEffect, useMemo } from 'preact/hooks'
import { WindowChart } from '../components/Chart.tsx'
import { Badge, Stat } from '../components/ui.tsx'
import { age, fieldLabel, num } from '../format.ts'
import { useNow, useStore } from '../hooks.ts'
import { firingEntities, healthOf, LiveStore } from '../live.ts'
import { Link } from '../router.tsx'
import { AlertTable } from './Alerts.tsx'

function windowLabel(sizeMs: number, kind: string): string {
  const size = sizeMs % 60_000 === 0 ? `${sizeMs / 60_000}-minute` : `${sizeMs / 1000}-second`
  return `${size} ${kind === 'hopping' ? 'hopping' : 'tumbling'} windows`
}

/** One sensor: its own narrow stream (the server sends the last hour of its windows first), two charts, alerts. */
export function Sensor(props: { store: LiveStore; sensor: string; admin: boolean }) {
  const own = useMemo(() => new LiveStore({ sensor: props.sensor, types: 'aggregate,alert' }, true), [props.sensor])
  useEffect(() => {
    own.start()
    return () => own.stop()
  }, [own])
  useStore(own)
  const now = useNow()
  const state = own.sensors.get(props.sensor) ?? props.store.sensors.get(props.sensor)
  const charts = [...own.series.entries()]
    .filter(([key]) => key.startsWith(`${props.sensor}|`))
    .map(([key, points]) => {
      const [, field = '', kind = ''] = key.split('|')
      const size = points.at(-1)?.windowSizeMs ?? 0
      return { key, field, kind, size, points }
    })
    .sort((a, b) => a.field.localeCompare(b.field) || a.size - b.size)
  const windows = charts.reduce((n, c) => n + c.points.length, 0)
  const alerts = [...props.store.alerts.values(), ...own.alerts.values()].filter(
    (a, i, all) =>
      a.entityId === props.sensor &&
      all.findIndex((b) => b.ruleId === a.ruleId && b.entityId === a.entityId && b.raisedAtMs >= a.raisedAtMs) === i,
  )
  const firing = firingEntities(own)
  for (const a of props.store.alerts.values()) if (a.state === 'firing') firing.add(a.entityId)
  const health = state ? healthOf(state, firing, now) : undefined
  const last = state?.last1m
  const field = state ? fieldLabel(state.field) : ''
  return (
    <section>
      <p class="crumbs">
        <Link href="/">Fleet</Link>
        {state?.zone && (
          <>
            {' › '}
            <Link href={`/zones/${encodeURIComponent(state.zone)}`}>zone {state.zone}</Link>
          </>
        )}{' '}
        › {props.sensor}
      </p>
      <h1>
        Sensor {props.sensor} {health && <Badge kind={health}>{health}</Badge>}
      </h1>
      {!state && <p class="muted">No window of this sensor yet; waiting for the live feed ({own.status}).</p>}
      {state && (
        <div class="stats">
          <Stat label={`${field} · mean, latest window`} value={num(last?.mean, 2)} />
          <Stat label="min" value={num(last?.min, 2)} />
          <Stat label="max" value={num(last?.max, 2)} />
          <Stat label="p95" value={num(last?.p95, 2)} />
          <Stat label="readings" value={last?.count ?? '–'} />
          <Stat label="last window" value={age(state.lastSeenMs, now)} />
        </div>
      )}
      <div class="charts" data-testid="charts">
        {charts.map((c) => (
          <WindowChart
            key={c.key}
            title={`${fieldLabel(c.field)} · ${windowLabel(c.size, c.kind)}`}
            points={c.points}
          />
        ))}
      </div>
      {charts.length === 0 && <p class="muted">Waiting for this sensor's windows…</p>}
      <p class="muted small">
        Mean line, min–max band, dashed p95, red dots: windows flagged as anomalous (z ≥ 4). {windows} windows.
      </p>
      <h2>Alerts</h2>
      <AlertTable alerts={alerts} admin={props.admin} linkSensors={false} caption={`Alerts of ${props.sensor}`} />
    </section>
  )
}
