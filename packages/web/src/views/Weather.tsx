import { Sparkline } from '../components/Chart.tsx'
import { age, num } from '../format.ts'
import { useNow } from '../hooks.ts'
import type { LiveStore } from '../live.ts'

export function Weather(props: { store: LiveStore }) {
  const now = useNow()
  const stations = [...props.store.stations.entries()].sort(([a], [b]) => a.localeCompare(b))
  return (
    <section>
      <h1>Weather stations</h1>
      {stations.length === 0 ? (
        <p class="muted">
          No observation yet (weather.observations). The Weather Streamer publishes them once it runs.
        </p>
      ) : (
        <div class="table-wrap">
          <table data-testid="stations">
            <caption>Latest observation per station, with the recent trend</caption>
            <thead>
              <tr>
                <th scope="col">Station</th>
                <th scope="col">Location</th>
                <th scope="col">Temp °C</th>
                <th scope="col">Trend</th>
                <th scope="col">Pressure hPa</th>
                <th scope="col">Trend</th>
                <th scope="col">Wind m/s</th>
                <th scope="col">Trend</th>
                <th scope="col">Observed</th>
              </tr>
            </thead>
            <tbody>
              {stations.map(([id, list]) => {
                const o = list.at(-1)!
                return (
                  <tr key={id}>
                    <td>
                      {id}
                      <div class="muted small">{o.source}</div>
                    </td>
                    <td>
                      {typeof o.name === 'string' ? o.name : ''}
                      {typeof o.latitude === 'number' && typeof o.longitude === 'number' && (
                        <div class="muted small">
                          {o.latitude.toFixed(2)}, {o.longitude.toFixed(2)}
                        </div>
                      )}
                    </td>
                    <td class="num">{num(o.temperatureC)}</td>
                    <td>
                      <Sparkline values={list.map((x) => x.temperatureC)} label={`temperature trend of ${id}`} />
                    </td>
                    <td class="num">{num(o.pressurePa === undefined ? undefined : o.pressurePa / 100)}</td>
                    <td>
                      <Sparkline values={list.map((x) => x.pressurePa)} label={`pressure trend of ${id}`} />
                    </td>
                    <td class="num">
                      {num(o.windSpeedMps)}
                      {o.windGustMps !== undefined ? ` (gust ${num(o.windGustMps)})` : ''}
                    </td>
                    <td>
                      <Sparkline values={list.map((x) => x.windSpeedMps)} label={`wind trend of ${id}`} />
                    </td>
                    <td>{age(o.eventTimeMs, now)}</td>
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
