import { useState } from 'preact/hooks'
import { del, enc, get, post } from '../api.ts'
import { Badge, ConfirmByName, ErrorBox, Loading } from '../components/ui.tsx'
import { bytes } from '../format.ts'
import { useAsync } from '../hooks.ts'
import { Link, navigate, useLocation } from '../router.tsx'
import { MessageBrowser } from './Messages.tsx'
import { ProduceForm } from './Produce.tsx'
import { AddPartitions, TopicConfigs } from './TopicConfigs.tsx'

interface TopicRow {
  name: string
  internal: boolean
  partitions: number
  replicationFactor: number
}

interface Partition {
  partition: number
  leader: number
  replicas: number[]
  isr: number[]
  earliestOffset: number
  latestOffset: number
  messages: number
  sizeBytes: number | null
}

export interface TopicDescription {
  name: string
  id: string
  internal: boolean
  replicationFactor: number
  messages: number
  sizeBytes: number
  partitions: Partition[]
  configs: Record<string, string>
}

function CreateTopic(props: { onCreated: (name: string) => void }) {
  const [name, setName] = useState('')
  const [partitions, setPartitions] = useState('3')
  const [retention, setRetention] = useState('')
  const [error, setError] = useState<Error | undefined>()
  return (
    <form
      class="inline-form"
      aria-label="Create topic"
      onSubmit={(e) => {
        e.preventDefault()
        setError(undefined)
        const count = Number(partitions)
        if (!Number.isInteger(count) || count < 1) {
          setError(new Error('Partitions must be a whole number of at least 1'))
          return
        }
        const configs = retention ? { 'retention.ms': String(Number(retention) * 3_600_000) } : {}
        post('/api/topics', { name: name.trim(), partitions: count, configs }).then(
          () => props.onCreated(name.trim()),
          (err: Error) => setError(err),
        )
      }}
    >
      <label>
        Name{' '}
        <input
          name="topic-name"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          required
          pattern="[a-zA-Z0-9._\-]+"
        />
      </label>
      <label>
        Partitions{' '}
        <input
          name="partitions"
          type="number"
          min="1"
          value={partitions}
          onInput={(e) => setPartitions(e.currentTarget.value)}
        />
      </label>
      <label>
        Retention (h){' '}
        <input
          name="retention"
          type="number"
          min="1"
          value={retention}
          placeholder="default"
          onInput={(e) => setRetention(e.currentTarget.value)}
        />
      </label>
      <button type="submit" class="primary">
        Create topic
      </button>
      <ErrorBox error={error} title="Could not create the topic" />
    </form>
  )
}

export function Topics(props: { admin: boolean }) {
  const [showInternal, setShowInternal] = useState(false)
  const [query, setQuery] = useState('')
  const topics = useAsync(() => get<{ topics: TopicRow[] }>(`/api/topics?internal=${showInternal}`), [showInternal])
  const rows = (topics.data?.topics ?? [])
    .filter((t) => t.name.includes(query))
    .sort((a, b) => a.name.localeCompare(b.name))
  return (
    <section>
      <h1>Topics</h1>
      {props.admin && <CreateTopic onCreated={(name) => navigate(`/topics/${enc(name)}`)} />}
      <div class="toolbar">
        <label>
          Filter <input type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        </label>
        <label>
          <input type="checkbox" checked={showInternal} onChange={(e) => setShowInternal(e.currentTarget.checked)} />{' '}
          internal topics
        </label>
        <button onClick={topics.reload}>Refresh</button>
      </div>
      <ErrorBox error={topics.error} title="Could not list topics" />
      {topics.loading && !topics.data && <Loading what="topics" />}
      <div class="table-wrap">
        <table>
          <caption>{rows.length} topics</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Partitions</th>
              <th scope="col">Replication</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.name}>
                <td>
                  <Link href={`/topics/${enc(t.name)}`}>{t.name}</Link>{' '}
                  {t.internal && <Badge kind="info">internal</Badge>}
                  {t.name.endsWith('.dlq') && <Badge kind="warn">DLQ</Badge>}
                </td>
                <td class="num">{t.partitions}</td>
                <td class="num">{t.replicationFactor}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

const TABS = ['overview', 'messages', 'produce', 'configs'] as const

export function TopicDetail(props: { topic: string; admin: boolean }) {
  const { query } = useLocation()
  const tab = (TABS as readonly string[]).includes(query.get('tab') ?? '') ? query.get('tab')! : 'overview'
  const topic = useAsync(() => get<TopicDescription>(`/api/topics/${enc(props.topic)}`), [props.topic])
  const t = topic.data
  const underReplicated = t?.partitions.filter((p) => p.isr.length < p.replicas.length).length ?? 0
  return (
    <section>
      <p class="crumbs">
        <Link href="/topics">Topics</Link> › {props.topic}
      </p>
      <h1>{props.topic}</h1>
      <ErrorBox error={topic.error} title="Could not describe the topic" />
      {topic.loading && !t && <Loading what="topic" />}
      <nav class="tabs" aria-label="Topic views">
        {TABS.map((name) => (
          <Link
            key={name}
            href={`/topics/${enc(props.topic)}?tab=${name}`}
            aria-current={tab === name ? 'page' : undefined}
          >
            {name}
          </Link>
        ))}
      </nav>
      {t && tab === 'overview' && (
        <>
          <div class="stats">
            <div class="stat">
              <div class="stat-value">{t.partitions.length}</div>
              <div class="stat-label">partitions</div>
            </div>
            <div class="stat">
              <div class="stat-value">{t.replicationFactor}</div>
              <div class="stat-label">replication</div>
            </div>
            <div class="stat">
              <div class="stat-value">{t.messages.toLocaleString()}</div>
              <div class="stat-label">messages</div>
            </div>
            <div class="stat">
              <div class="stat-value">{bytes(t.sizeBytes)}</div>
              <div class="stat-label">size</div>
            </div>
            <div class={`stat ${underReplicated ? 'stat-bad' : ''}`}>
              <div class="stat-value">{underReplicated}</div>
              <div class="stat-label">under-replicated</div>
            </div>
          </div>
          <div class="table-wrap">
            <table data-testid="partitions">
              <caption>Partitions</caption>
              <thead>
                <tr>
                  <th scope="col">Partition</th>
                  <th scope="col">Leader</th>
                  <th scope="col">Replicas</th>
                  <th scope="col">ISR</th>
                  <th scope="col">Earliest</th>
                  <th scope="col">Latest</th>
                  <th scope="col">Messages</th>
                  <th scope="col">Size</th>
                </tr>
              </thead>
              <tbody>
                {t.partitions.map((p) => (
                  <tr key={p.partition}>
                    <td class="num">{p.partition}</td>
                    <td class="num">{p.leader}</td>
                    <td>{p.replicas.join(', ')}</td>
                    <td>
                      {p.isr.join(', ')}{' '}
                      {p.isr.length < p.replicas.length && <Badge kind="bad">under-replicated</Badge>}
                    </td>
                    <td class="num">{p.earliestOffset}</td>
                    <td class="num">{p.latestOffset}</td>
                    <td class="num">{p.messages}</td>
                    <td class="num">{bytes(p.sizeBytes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {props.admin && (
            <AddPartitions
              topic={t.name}
              current={t.partitions.length}
              onAdded={topic.reload}
              key={t.partitions.length}
            />
          )}
          {props.admin && (
            <div class="danger-zone">
              <h2>Delete topic</h2>
              <p class="muted">Deletes every partition and message of {t.name}. This cannot be undone.</p>
              <ConfirmByName
                name={t.name}
                action="Delete topic"
                onConfirm={async () => {
                  await del(`/api/topics/${enc(t.name)}`)
                  navigate('/topics')
                }}
              />
            </div>
          )}
        </>
      )}
      {t && tab === 'configs' && <TopicConfigs topic={t.name} admin={props.admin} onChanged={topic.reload} />}
      {t && tab === 'messages' && <MessageBrowser topic={t} admin={props.admin} />}
      {t &&
        tab === 'produce' &&
        (props.admin ? <ProduceForm topic={t} /> : <p class="muted">Producing needs the admin role.</p>)}
    </section>
  )
}

export function Dlq() {
  const topics = useAsync(() => get<{ topics: TopicRow[] }>('/api/topics'), [])
  const dlqs = (topics.data?.topics ?? []).filter((t) => t.name.endsWith('.dlq') || t.name.endsWith('-dlq'))
  return (
    <section>
      <h1>Dead-letter topics</h1>
      <p class="muted">
        Records a service could not decode or validate, with the reason in <code>isobar.dlq.*</code> headers (shown as
        columns in the message browser).
      </p>
      <ErrorBox error={topics.error} title="Could not list topics" />
      {topics.loading && !topics.data && <Loading what="topics" />}
      {topics.data && dlqs.length === 0 && <p>No dead-letter topic exists yet.</p>}
      <ul>
        {dlqs.map((t) => (
          <li key={t.name}>
            <Link href={`/topics/${enc(t.name)}?tab=messages`}>{t.name}</Link>
          </li>
        ))}
      </ul>
    </section>
  )
}
