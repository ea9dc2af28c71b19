import { useState } from 'preact/hooks'
import { AlertActions } from '../components/AlertActions.tsx'
import { Badge } from '../components/ui.tsx'
import { age, num } from '../format.ts'
import { useNow } from '../hooks.ts'
import type { LiveStore } from '../live.ts'
import { Link } from '../router.tsx'
import type { AlertEvent } from '../types.ts'

const SEVERITY_ORDER: Record<string, number> = { critical: 0, major: 1, warning: 2, minor: 3, info: 4 }

function sortAlerts(list: AlertEvent[]): AlertEvent[] {
  return list.sort(
    (a, b) =>
      (a.state === 'firing' ? 0 : 1) - (b.state === 'firing' ? 0 : 1) ||
      (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9) ||
      b.raisedAtMs - a.raisedAtMs,
  )
}

export function AlertTable(props: { alerts: AlertEvent[]; admin: boolean; linkSensors: boolean; caption: string }) {
  const now = useNow(2000)
  if (props.alerts.length === 0) return <p class="muted">No alerts.</p>
  return (
    <div class="table-wrap">
      <table data-testid="alerts-table">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">State</th>
            <th scope="col">Severity</th>
            <th scope="col">Rule</th>
            <th scope="col">Entity</th>
            <th scope="col">Message</th>
            <th scope="col">Value</th>
            <th scope="col">Age</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {props.alerts.map((a) => {
            const silenced = a.silencedUntilMs !== undefined && a.silencedUntilMs > now
            return (
              <tr key={`${a.ruleId}+${a.entityId}`} data-alert={`${a.ruleId}+${a.entityId}`} class={`alert-${a.state}`}>
                <td>
                  <Badge kind={a.state === 'firing' ? 'bad' : 'ok'}>{a.state}</Badge>
                </td>
                <td>
                  <Badge kind={`sev-${a.severity}`}>{a.severity}</Badge>
                </td>
                <td>{a.ruleId}</td>
                <td>
                  {props.linkSensors ? (
                    <Link href={`/sensors/${encodeURIComponent(a.entityId)}`}>{a.entityId}</Link>
                  ) : (
                    a.entityId
                  )}
                </td>
                <td>{a.message}</td>
                <td class="num">
                  {num(a.value, 2)}
                  {a.threshold !== undefined ? ` / ${num(a.threshold, 2)}` : ''}
                </td>
                <td>{age(a.state === 'firing' ? (a.firingSinceMs ?? a.eventTimeMs) : a.raisedAtMs, now)}</td>
                <td class="status" data-testid="alert-status">
                  {a.acknowledgedBy && <Badge kind="info">acknowledged by {a.acknowledgedBy}</Badge>}
                  {silenced && (
                    <Badge kind="warn">silenced until {new Date(a.silencedUntilMs!).toLocaleTimeString()}</Badge>
                  )}
                  {a.flapping && <Badge kind="warn">flapping</Badge>}
                </td>
                <td>
                  <AlertActions alert={a} admin={props.admin} />
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

export function Alerts(props: { store: LiveStore; admin: boolean }) {
  const [showResolved, setShowResolved] = useState(false)
  const [query, setQuery] = useState('')
  const filter = (list: AlertEvent[]): AlertEvent[] =>
    sortAlerts(
      list.filter(
        (a) =>
          (showResolved || a.state === 'firing') &&
          (query === '' || `${a.ruleId} ${a.entityId} ${a.message}`.toLowerCase().includes(query.toLowerCase())),
      ),
    )
  const sensor = filter([...props.store.alerts.values()])
  const weather = filter([...props.store.weatherAlerts.values()])
  return (
    <section>
      <h1>Alerts</h1>
      <div class="toolbar">
        <label>
          <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.currentTarget.checked)} />{' '}
          show resolved
        </label>
        <label>
          Filter{' '}
          <input
            type="search"
            value={query}
            onInput={(e) => setQuery(e.currentTarget.value)}
            placeholder="rule, entity, text"
          />
        </label>
      </div>
      <h2>Sensors</h2>
      <AlertTable alerts={sensor} admin={props.admin} linkSensors caption="Sensor alerts (sensors.alerts), live" />
      <h2>Weather</h2>
      <AlertTable alerts={weather} admin={false} linkSensors={false} caption="Weather alerts (weather.alerts), live" />
    </section>
  )
}
