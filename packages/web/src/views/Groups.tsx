import { useEffect } from 'preact/hooks'
import { enc, get } from '../api.ts'
import { Sparkline } from '../components/Chart.tsx'
import { Badge, ErrorBox, Loading, Stat } from '../components/ui.tsx'
import { age } from '../format.ts'
import { useAsync, useNow } from '../hooks.ts'
import type { LiveStore } from '../live.ts'
import { Link } from '../router.tsx'
import { OffsetReset } from './OffsetReset.tsx'

interface GroupRow {
  groupId: string
  type: string
  state: string
  protocolType: string
}

interface GroupDescription {
  groupId: string
  type: string
  state: string
  protocol: string
  members: Array<{
    memberId: string
    clientId: string
    clientHost: string
    assignment: Array<{ topic: string; partitions: number[] }>
  }>
}

interface GroupLag {
  groupId: string
  status: string
  totalLag: number
  maxLagSeconds: number
  partitions: Array<{
    topic: string
    partition: number
    committedOffset: number | null
    latestOffset: number
    lag: number | null
    lagSeconds: number | null
    status: string
    reason?: string
  }>
}

const STATUS_KIND: Record<string, string> = {
  OK: 'ok',
  WARN: 'warn',
  STALL: 'bad',
  STOP: 'bad',
  REWIND: 'warn',
  ERR: 'bad',
}

export function Groups(props: { store: LiveStore }) {
  const groups = useAsync(() => get<{ groups: GroupRow[] }>('/api/groups'), [])
  const now = useNow()
  const rows = (groups.data?.groups ?? [])
    .filter((g) => !g.groupId.startsWith('isobar-anonymous-'))
    .sort((a, b) => a.groupId.localeCompare(b.groupId))
  return (
    <section>
      <h1>Consumer groups</h1>
      <div class="toolbar">
        <button onClick={groups.reload}>Refresh</button>
        <span class="muted small">Lag status (Burrow-style) updates live every few seconds.</span>
      </div>
      <ErrorBox error={groups.error} title="Could not list groups" />
      {groups.loading && !groups.data && <Loading what="groups" />}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Type</th>
              <th scope="col">State</th>
              <th scope="col">Status</th>
              <th scope="col">Members</th>
              <th scope="col">Lag</th>
              <th scope="col">Behind</th>
              <th scope="col">Sampled</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((g) => {
              const lag = props.store.lag.get(g.groupId)
              return (
                <tr key={g.groupId}>
                  <td>
                    <Link href={`/groups/${enc(g.groupId)}`}>{g.groupId}</Link>
                  </td>
                  <td>{g.type}</td>
                  <td>{g.state}</td>
                  <td>{lag ? <Badge kind={STATUS_KIND[lag.status] ?? 'info'}>{lag.status}</Badge> : '–'}</td>
                  <td class="num">{lag?.members ?? '–'}</td>
                  <td class="num">{lag ? lag.lag.toLocaleString() : '–'}</td>
                  <td class="num">{lag ? `${lag.lagSeconds.toFixed(1)} s` : '–'}</td>
                  <td>{lag ? age(lag.sampledAtMs, now) : '–'}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </section>
  )
}

/** Lag history of a group as the page saw it (the live feed's samples). */
const lagHistory = new Map<string, { at: number; values: number[] }>()

export function GroupDetail(props: { group: string; store: LiveStore; admin: boolean }) {
  const description = useAsync(() => get<GroupDescription>(`/api/groups/${enc(props.group)}`), [props.group])
  const lag = useAsync(() => get<GroupLag>(`/api/groups/${enc(props.group)}/lag`), [props.group])
  useEffect(() => {
    const timer = setInterval(lag.reload, 5000)
    return () => clearInterval(timer)
  }, [lag.reload])
  const live = props.store.lag.get(props.group)
  if (live) {
    const history = lagHistory.get(props.group) ?? { at: 0, values: [] }
    if (history.at !== live.sampledAtMs) {
      history.at = live.sampledAtMs
      history.values.push(live.lag)
      if (history.values.length > 120) history.values.shift()
      lagHistory.set(props.group, history)
    }
  }
  const d = description.data
  const l = lag.data
  return (
    <section>
      <p class="crumbs">
        <Link href="/groups">Groups</Link> › {props.group}
      </p>
      <h1>{props.group}</h1>
      <ErrorBox error={description.error} title="Could not describe the group" />
      <ErrorBox error={lag.error} title="Could not read the group's lag" />
      {!d && description.loading && <Loading what="group" />}
      <div class="stats">
        {d && <Stat label="state" value={d.state} />}
        {d && <Stat label="protocol" value={`${d.type} / ${d.protocol || '–'}`} />}
        {d && <Stat label="members" value={d.members.length} />}
        {l && <Stat label="total lag" value={l.totalLag.toLocaleString()} kind={l.totalLag > 0 ? 'warn' : 'ok'} />}
        {l && <Stat label="max seconds behind" value={l.maxLagSeconds.toFixed(1)} />}
        {live && (
          <Stat label="status (live)" value={<Badge kind={STATUS_KIND[live.status] ?? 'info'}>{live.status}</Badge>} />
        )}
        {live && (
          <Stat
            label="lag history"
            value={<Sparkline values={lagHistory.get(props.group)?.values ?? []} label="lag history" />}
          />
        )}
      </div>
      {l && (
        <div class="table-wrap">
          <table data-testid="group-lag">
            <caption>Lag per partition</caption>
            <thead>
              <tr>
                <th scope="col">Topic</th>
                <th scope="col">Partition</th>
                <th scope="col">Committed</th>
                <th scope="col">Latest</th>
                <th scope="col">Lag</th>
                <th scope="col">Behind</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {l.partitions.map((p) => (
                <tr key={`${p.topic}-${p.partition}`}>
                  <td>
                    <Link href={`/topics/${enc(p.topic)}`}>{p.topic}</Link>
                  </td>
                  <td class="num">{p.partition}</td>
                  <td class="num">{p.committedOffset ?? '–'}</td>
                  <td class="num">{p.latestOffset}</td>
                  <td class="num">{p.lag ?? '–'}</td>
                  <td class="num">{p.lagSeconds === null ? '–' : `${p.lagSeconds.toFixed(1)} s`}</td>
                  <td>
                    <Badge kind={STATUS_KIND[p.status] ?? 'info'} title={p.reason}>
                      {p.status}
                    </Badge>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.admin && l && (
        <OffsetReset
          group={props.group}
          topics={[...new Set(l.partitions.map((p) => p.topic))]}
          onReset={() => {
            lag.reload()
            description.reload()
          }}
        />
      )}
      {d && d.members.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption>Members and assignments</caption>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Host</th>
                <th scope="col">Assignment</th>
              </tr>
            </thead>
            <tbody>
              {d.members.map((m) => (
                <tr key={m.memberId}>
                  <td>{m.clientId}</td>
                  <td>{m.clientHost}</td>
                  <td>{m.assignment.map((a) => `${a.topic} [${a.partitions.join(', ')}]`).join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
