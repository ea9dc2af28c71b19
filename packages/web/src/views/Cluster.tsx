import { useState } from 'preact/hooks'
import { get } from '../api.ts'
import { Badge, ErrorBox, Loading, Stat } from '../components/ui.tsx'
import { age } from '../format.ts'
import { useAsync, useNow } from '../hooks.ts'

interface Broker {
  nodeId: number
  host: string
  port: number
  rack: string | null
  controller: boolean
}

interface Replica {
  replicaId: number
  logEndOffset: number
  lag: number
  lastFetchTimestamp: number | null
  lastCaughtUpTimestamp: number | null
}

interface Quorum {
  supported: boolean
  reason: string | null
  controllerId: number
  leaderId: number | null
  leaderEpoch: number | null
  highWatermark: number | null
  voters: Replica[]
  observers: Replica[]
}

interface ConfigEntry {
  name: string
  value: string | null
  source: string
  sensitive: boolean
}

function Replicas(props: { title: string; rows: Replica[]; leaderId: number | null; now: number }) {
  return (
    <div class="table-wrap">
      <table data-testid={`quorum-${props.title.toLowerCase()}`}>
        <caption>{props.title}</caption>
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">Log end</th>
            <th scope="col">Lag</th>
            <th scope="col">Last fetch</th>
            <th scope="col">Last caught up</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.length === 0 && (
            <tr>
              <td colSpan={5} class="muted">
                none
              </td>
            </tr>
          )}
          {props.rows.map((r) => (
            <tr key={r.replicaId}>
              <td class="num">
                {r.replicaId} {r.replicaId === props.leaderId && <Badge kind="ok">leader</Badge>}
              </td>
              <td class="num">{r.logEndOffset}</td>
              <td class="num">{r.lag}</td>
              <td>{r.lastFetchTimestamp === null ? '–' : age(r.lastFetchTimestamp, props.now)}</td>
              <td>{r.lastCaughtUpTimestamp === null ? '–' : age(r.lastCaughtUpTimestamp, props.now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function BrokerConfigs(props: { brokers: Broker[] }) {
  const [broker, setBroker] = useState(String(props.brokers[0]?.nodeId ?? ''))
  const [query, setQuery] = useState('')
  const configs = useAsync(
    () =>
      broker === ''
        ? Promise.resolve({ configs: [] })
        : get<{ configs: ConfigEntry[] }>(`/api/brokers/${broker}/configs`),
    [broker],
  )
  const rows = (configs.data?.configs ?? []).filter((c) => c.name.includes(query))
  return (
    <>
      <h2>Broker configs (read-only)</h2>
      <div class="toolbar">
        <label>
          Broker{' '}
          <select value={broker} onChange={(e) => setBroker(e.currentTarget.value)}>
            {props.brokers.map((b) => (
              <option key={b.nodeId} value={String(b.nodeId)}>
                {b.nodeId}
              </option>
            ))}
          </select>
        </label>
        <label>
          Filter <input type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        </label>
      </div>
      <ErrorBox error={configs.error} title="Could not read the broker configs" />
      {configs.loading && !configs.data && <Loading what="configs" />}
      <div class="table-wrap">
        <table data-testid="broker-configs">
          <caption>{rows.length} configs</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Value</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td class="mono">{c.sensitive ? '(hidden)' : c.value}</td>
                <td>{c.source.replace(/-/g, ' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

/** Brokers, the KRaft metadata quorum and each broker's configs. */
export function Cluster() {
  const brokers = useAsync(() => get<{ brokers: Broker[] }>('/api/brokers'), [])
  const quorum = useAsync(() => get<Quorum>('/api/cluster/quorum'), [])
  const now = useNow()
  const q = quorum.data
  return (
    <section>
      <h1>Cluster</h1>
      <div class="toolbar">
        <button
          onClick={() => {
            brokers.reload()
            quorum.reload()
          }}
        >
          Refresh
        </button>
      </div>
      <ErrorBox error={brokers.error} title="Could not list the brokers" />
      <ErrorBox error={quorum.error} title="Could not describe the quorum" />
      {brokers.loading && !brokers.data && <Loading what="brokers" />}
      <div class="table-wrap">
        <table data-testid="brokers">
          <caption>Brokers</caption>
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Address</th>
              <th scope="col">Rack</th>
            </tr>
          </thead>
          <tbody>
            {(brokers.data?.brokers ?? []).map((b) => (
              <tr key={b.nodeId}>
                <td class="num">
                  {b.nodeId} {b.controller && <Badge kind="info">controller</Badge>}
                </td>
                <td class="mono">
                  {b.host}:{b.port}
                </td>
                <td>{b.rack ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>KRaft quorum</h2>
      {q && !q.supported && (
        <p class="muted" data-testid="quorum-unsupported">
          {q.reason} Known: the controller is node {q.controllerId}.
        </p>
      )}
      {q && q.supported && (
        <>
          <div class="stats" data-testid="quorum">
            <Stat label="leader (active controller)" value={q.leaderId ?? '–'} />
            <Stat label="leader epoch" value={q.leaderEpoch ?? '–'} />
            <Stat label="high watermark" value={q.highWatermark?.toLocaleString() ?? '–'} />
            <Stat label="voters" value={q.voters.length} />
            <Stat label="observers" value={q.observers.length} />
          </div>
          <Replicas title="Voters" rows={q.voters} leaderId={q.leaderId} now={now} />
          <Replicas title="Observers" rows={q.observers} leaderId={q.leaderId} now={now} />
        </>
      )}
      {brokers.data && <BrokerConfigs brokers={brokers.data.brokers} />}
    </section>
  )
}
