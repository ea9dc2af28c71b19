import { Fragment } from 'preact'
import { useState } from 'preact/hooks'
import { enc, get } from '../api.ts'
import { ErrorBox, Loading } from '../components/ui.tsx'
import { dateTime, hex } from '../format.ts'
import { DlqReplay, type SelectedDeadLetter } from './DlqReplay.tsx'
import type { TopicDescription } from './Topics.tsx'

interface Decoded {
  format: 'json' | 'text' | 'base64'
  data: unknown
  schemaId?: number
  decodeError?: string
}

interface Message {
  partition: number
  offset: number
  timestamp: number
  key: Decoded | null
  value: Decoded | null
  headers: Record<string, string>
  rawKey?: string | null
  rawValue?: string | null
}

interface Page {
  earliestOffset: number
  latestOffset: number
  nextOffset: number
  messages: Message[]
}

function show(d: Decoded | null): string {
  if (!d) return 'null'
  return d.format === 'json' ? JSON.stringify(d.data, null, 2) : String(d.data)
}

type Seek = 'newest' | 'earliest' | 'offset' | 'timestamp'

/** Reads one partition from the newest, the start, an offset or a time; newest first; decoded via the registry. */
export function MessageBrowser(props: { topic: TopicDescription; admin?: boolean }) {
  const [partition, setPartition] = useState('0')
  const [seek, setSeek] = useState<Seek>('newest')
  const [position, setPosition] = useState('')
  const [limit, setLimit] = useState('50')
  const [text, setText] = useState('')
  const [error, setError] = useState<Error | undefined>()
  const [loading, setLoading] = useState(false)
  const [open, setOpen] = useState<number | undefined>()
  const [page, setPage] = useState<Page | undefined>()
  // A dead-letter topic by its name, or by what it holds (records with isobar.dlq.* headers).
  const dlq =
    props.topic.name.endsWith('.dlq') ||
    props.topic.name.endsWith('-dlq') ||
    (page?.messages ?? []).some((m) => 'isobar.dlq.error.code' in m.headers)
  const [selected, setSelected] = useState<Map<string, SelectedDeadLetter>>(new Map())
  const replayable = dlq && props.admin === true
  const toggle = (m: Message, on: boolean): void => {
    const next = new Map(selected)
    if (on) {
      next.set(`${m.partition}@${m.offset}`, {
        partition: m.partition,
        offset: m.offset,
        sourceTopic: m.headers['isobar.dlq.original.topic'] ?? null,
        truncated: m.headers['isobar.dlq.truncated'] ?? null,
      })
    } else next.delete(`${m.partition}@${m.offset}`)
    setSelected(next)
  }

  const load = (): void => {
    const params = new URLSearchParams({ partition, limit, raw: 'true' })
    if (seek === 'newest') params.set('from', 'latest')
    else if (seek === 'earliest') params.set('from', 'earliest')
    else if (seek === 'offset') {
      if (!/^\d+$/.test(position)) return setError(new Error('The offset must be a whole number'))
      params.set('offset', position)
    } else {
      const ms = Date.parse(position)
      if (Number.isNaN(ms)) return setError(new Error('The time is not a date, e.g. 2026-12-04T14:00'))
      params.set('timestamp', String(ms))
    }
    setLoading(true)
    setError(undefined)
    get<Page>(`/api/topics/${enc(props.topic.name)}/messages?${params.toString()}`).then(
      (p) => {
        setPage(p)
        setLoading(false)
      },
      (err: Error) => {
        setError(err)
        setLoading(false)
      },
    )
  }

  const messages = (page?.messages ?? [])
    .filter((m) => text === '' || `${show(m.key)} ${show(m.value)} ${JSON.stringify(m.headers)}`.includes(text))
    .sort((a, b) => b.offset - a.offset)
  const headerColumns = dlq
    ? [...new Set(messages.flatMap((m) => Object.keys(m.headers)))].filter((h) => h.startsWith('isobar.dlq.'))
    : []

  return (
    <div>
      <form
        class="inline-form"
        aria-label="Read messages"
        onSubmit={(e) => {
          e.preventDefault()
          load()
        }}
      >
        <label>
          Partition
          <select value={partition} onChange={(e) => setPartition(e.currentTarget.value)} name="partition">
            {props.topic.partitions.map((p) => (
              <option key={p.partition} value={String(p.partition)}>
                {p.partition} ({p.messages} msgs)
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <select value={seek} onChange={(e) => setSeek(e.currentTarget.value as Seek)} name="seek">
            <option value="newest">newest</option>
            <option value="earliest">earliest</option>
            <option value="offset">offset</option>
            <option value="timestamp">time</option>
          </select>
        </label>
        {(seek === 'offset' || seek === 'timestamp') && (
          <label>
            {seek === 'offset' ? 'Offset' : 'Time'}
            <input
              name="position"
              value={position}
              type={seek === 'offset' ? 'number' : 'datetime-local'}
              onInput={(e) => setPosition(e.currentTarget.value)}
            />
          </label>
        )}
        <label>
          Max{' '}
          <input
            name="limit"
            type="number"
            min="1"
            max="1000"
            value={limit}
            onInput={(e) => setLimit(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="primary">
          Read
        </button>
        <label>
          Contains{' '}
          <input
            type="search"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            placeholder="key, value or header text"
          />
        </label>
      </form>
      <ErrorBox error={error} title="Could not read messages" />
      {loading && <Loading what="messages" />}
      {page && (
        <p class="muted small">
          Offsets {page.earliestOffset}–{page.latestOffset}; showing {messages.length} of {page.messages.length} read.
        </p>
      )}
      {page && (
        <div class="table-wrap">
          <table data-testid="messages">
            <thead>
              <tr>
                {replayable && <th scope="col">Select</th>}
                <th scope="col">Offset</th>
                <th scope="col">Time</th>
                <th scope="col">Key</th>
                <th scope="col">Value</th>
                <th scope="col">Schema</th>
                {headerColumns.map((h) => (
                  <th key={h} scope="col">
                    {h.slice('isobar.dlq.'.length)}
                  </th>
                ))}
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <Fragment key={m.offset}>
                  <tr>
                    {replayable && (
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Select dead letter ${m.partition}@${m.offset}`}
                          checked={selected.has(`${m.partition}@${m.offset}`)}
                          onChange={(e) => toggle(m, e.currentTarget.checked)}
                        />
                      </td>
                    )}
                    <td class="num">{m.offset}</td>
                    <td class="small">{dateTime(m.timestamp)}</td>
                    <td class="mono">{show(m.key)}</td>
                    <td class="mono value">
                      <pre>{show(m.value)}</pre>
                      {m.value?.decodeError && <div class="error small">{m.value.decodeError}</div>}
                    </td>
                    <td>{m.value?.schemaId !== undefined ? `id ${m.value.schemaId}` : (m.value?.format ?? '–')}</td>
                    {headerColumns.map((h) => (
                      <td key={h} class="small">
                        {m.headers[h] ?? ''}
                      </td>
                    ))}
                    <td>
                      <button
                        onClick={() => setOpen(open === m.offset ? undefined : m.offset)}
                        aria-expanded={open === m.offset}
                      >
                        {open === m.offset ? 'Hide' : 'Raw'}
                      </button>
                    </td>
                  </tr>
                  {open === m.offset && (
                    <tr>
                      <td colSpan={(replayable ? 7 : 6) + headerColumns.length}>
                        <div class="raw">
                          <div>
                            <strong>Headers</strong> <pre>{JSON.stringify(m.headers, null, 2)}</pre>
                          </div>
                          <div>
                            <strong>Value bytes (hex)</strong>
                            <pre class="hex">{m.rawValue ? hex(m.rawValue) : 'null'}</pre>
                          </div>
                          <button onClick={() => void navigator.clipboard?.writeText(JSON.stringify(m, null, 2))}>
                            Copy as JSON
                          </button>
                        </div>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {replayable && page && (
        <DlqReplay topic={props.topic.name} selected={[...selected.values()]} onDone={() => setSelected(new Map())} />
      )}
    </div>
  )
}
