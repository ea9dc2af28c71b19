import { useNow } from '../hooks.ts'
import { age, fieldLabel, num } from '../format.ts'
import { firingEntities, healthOf, percentile, type Health, type LiveStore, type SensorState } from '../live.ts'
import { Link } from '../router.tsx'
import { Badge, Stat } from '../components/ui.tsx'

interface Counts {
  total: number
  ok: number
  stale: number
  alerting: number
}

function emptyCounts(): Counts {
  return { total: 0, ok: 0, stale: 0, alerting: 0 }
}

function count(c: Counts, h: Health): void {
  c.total++
  c[h]++
}

const HEALTH_LABEL: Record<Health, string> = { ok: 'OK', stale: 'stale', alerting: 'alerting' }

export function Fleet(props: { store: LiveStore }) {
  const { store } = props
  const now = useNow()
  const firing = firingEntities(store)
  const fleet = emptyCounts()
  const zones = new Map<string, Counts & { site: string }>()
  for (const s of store.sensors.values()) {
    const h = healthOf(s, firing, now)
    count(fleet, h)
    const zone = s.zone ?? '(no zone)'
    let z = zones.get(zone)
    if (!z) zones.set(zone, (z = { ...emptyCounts(), site: s.site ?? '–' }))
    count(z, h)
  }
  const sites = new Set([...zones.values()].map((z) => z.site))
  const firingAlerts = [...store.alerts.values()].filter((a) => a.state === 'firing').length
  const p50 = percentile(store.latencies.slice(-500), 50)
  const sorted = [...zones.entries()].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
  return (
    <section>
      <h1>Fleet</h1>
      <div class="stats" data-testid="fleet-stats">
        <Stat label="sensors" value={fleet.total} />
        <Stat label="OK" value={fleet.ok} kind="ok" />
        <Stat label="stale" value={fleet.stale} kind={fleet.stale ? 'warn' : undefined} />
        <Stat label="alerting" value={fleet.alerting} kind={fleet.alerting ? 'bad' : undefined} />
        <Stat label="sites" value={sites.size} />
        <Stat label="zones" value={zones.size} />
        <Stat label="firing alerts" value={<Link href="/alerts">{firingAlerts}</Link>} />
        <Stat label="feed latency p50" value={p50 === undefined ? '–' : `${Math.round(p50)} ms`} />
      </div>
      {fleet.total === 0 && (
        <p class="muted">
          No sensor windows yet. Sensor Analytics publishes the first 1-minute windows about a minute after the readings
          start.
        </p>
      )}
      {sorted.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption>Zones</caption>
            <thead>
              <tr>
                <th scope="col">Site</th>
                <th scope="col">Zone</th>
                <th scope="col">Sensors</th>
                <th scope="col">OK</th>
                <th scope="col">Stale</th>
                <th scope="col">Alerting</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map(([zone, c]) => (
                <tr key={zone}>
                  <td>{c.site}</td>
                  <td>
                    <Link href={`/zones/${encodeURIComponent(zone)}`}>{zone}</Link>
                  </td>
                  <td>{c.total}</td>
                  <td>{c.ok}</td>
                  <td>{c.stale ? <Badge kind="warn">{c.stale}</Badge> : 0}</td>
                  <td>{c.alerting ? <Badge kind="bad">{c.alerting}</Badge> : 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

export function Zone(props: { store: LiveStore; zone: string }) {
  const { store, zone } = props
  const now = useNow()
  const firing = firingEntities(store)
  const sensors: SensorState[] = [...store.sensors.values()]
    .filter((s) => s.zone === zone)
    .sort((a, b) => a.sensorId.localeCompare(b.sensorId, undefined, { numeric: true }))
  const zoneStats = [...(store.zones.get(zone)?.values() ?? [])].filter((a) => (a.windowSizeMs ?? 60_000) <= 60_000)
  return (
    <section>
      <p class="crumbs">
        <Link href="/">Fleet</Link> › zone {zone}
      </p>
      <h1>Zone {zone}</h1>
      {zoneStats.length > 0 && (
        <div class="stats">
          {zoneStats.map((a) => (
            <Stat
              key={a.field}
              label={`${fieldLabel(a.field)} · zone mean (${a.sensors ?? '?'} sensors)`}
              value={num(a.mean)}
            />
          ))}
        </div>
      )}
      {sensors.length === 0 ? (
        <p class="muted">No sensor of zone {zone} has reported a window yet.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption>Sensors of zone {zone}: latest 1-minute window</caption>
            <thead>
              <tr>
                <th scope="col">Sensor</th>
                <th scope="col">Health</th>
                <th scope="col">Quantity</th>
                <th scope="col">Mean</th>
                <th scope="col">Min</th>
                <th scope="col">Max</th>
                <th scope="col">p95</th>
                <th scope="col">Anomaly</th>
                <th scope="col">Last window</th>
              </tr>
            </thead>
            <tbody>
              {sensors.map((s) => {
                const a = s.last1m ?? s.last5m
                const h = healthOf(s, firing, now)
                return (
                  <tr key={s.sensorId}>
                    <td>
                      <Link href={`/sensors/${encodeURIComponent(s.sensorId)}`}>{s.sensorId}</Link>
                    </td>
                    <td>
                      <Badge kind={h}>{HEALTH_LABEL[h]}</Badge>
                    </td>
                    <td>{fieldLabel(s.field)}</td>
                    <td class="num">{num(a?.mean)}</td>
                    <td class="num">{num(a?.min)}</td>
                    <td class="num">{num(a?.max)}</td>
                    <td class="num">{num(a?.p95)}</td>
                    <td>{a?.anomaly?.flagged ? <Badge kind="bad">z {num(a.anomaly.maxZ)}</Badge> : '–'}</td>
                    <td>{age(s.lastSeenMs, now)}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
