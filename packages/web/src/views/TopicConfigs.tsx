import { useState } from 'preact/hooks'
import { enc, get, patch, post } from '../api.ts'
import { Badge, ErrorBox, Loading } from '../components/ui.tsx'
import { useAsync } from '../hooks.ts'

interface ConfigEntry {
  name: string
  value: string | null
  source: string
  readOnly: boolean
  sensitive: boolean
}

/** 'topic' is an override set on this topic; every other source is inherited (broker settings, Kafka defaults). */
function SourceBadge(props: { source: string }) {
  if (props.source === 'topic') return <Badge kind="warn">override</Badge>
  if (props.source === 'default') return <Badge kind="info">default</Badge>
  return <Badge kind="info">{props.source.replace(/-/g, ' ')}</Badge>
}

function EditValue(props: { topic: string; entry: ConfigEntry; onDone: () => void; onCancel: () => void }) {
  const [value, setValue] = useState(props.entry.value ?? '')
  const [error, setError] = useState<Error | undefined>()
  const [busy, setBusy] = useState(false)
  return (
    <form
      class="inline-form"
      aria-label={`Edit ${props.entry.name}`}
      onSubmit={(e) => {
        e.preventDefault()
        setError(undefined)
        setBusy(true)
        patch(`/api/topics/${enc(props.topic)}/configs`, { set: { [props.entry.name]: value } }).then(
          () => props.onDone(),
          (err: Error) => {
            setBusy(false)
            setError(err)
          },
        )
      }}
    >
      <input
        name="config-value"
        aria-label={`New value of ${props.entry.name}`}
        value={value}
        onInput={(e) => setValue(e.currentTarget.value)}
        autoFocus
      />
      <button type="submit" class="primary" disabled={busy}>
        Save
      </button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
      <ErrorBox error={error} title={`Could not set ${props.entry.name}`} />
    </form>
  )
}

/** The topic's configs with where each value comes from; admins edit a value or revert an override. */
export function TopicConfigs(props: { topic: string; admin: boolean; onChanged: () => void }) {
  const configs = useAsync(
    () => get<{ configs: ConfigEntry[] }>(`/api/topics/${enc(props.topic)}/configs`),
    [props.topic],
  )
  const [editing, setEditing] = useState<string | undefined>()
  const [onlyOverrides, setOnlyOverrides] = useState(false)
  const [error, setError] = useState<Error | undefined>()
  const done = () => {
    setEditing(undefined)
    configs.reload()
    props.onChanged()
  }
  const rows = (configs.data?.configs ?? []).filter((c) => !onlyOverrides || c.source === 'topic')
  return (
    <>
      <div class="toolbar">
        <label>
          <input type="checkbox" checked={onlyOverrides} onChange={(e) => setOnlyOverrides(e.currentTarget.checked)} />{' '}
          overrides only
        </label>
        <button onClick={configs.reload}>Refresh</button>
      </div>
      <ErrorBox error={configs.error} title="Could not read the configs" />
      <ErrorBox error={error} title="Could not revert the config" />
      {configs.loading && !configs.data && <Loading what="configs" />}
      <div class="table-wrap">
        <table data-testid="topic-configs">
          <caption>
            Configs: overrides set on this topic, the rest inherited from the broker or Kafka's defaults
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Value</th>
              <th scope="col">Source</th>
              {props.admin && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.name} data-config={c.name}>
                <td>{c.name}</td>
                <td class="mono">
                  {editing === c.name ? (
                    <EditValue topic={props.topic} entry={c} onDone={done} onCancel={() => setEditing(undefined)} />
                  ) : c.sensitive ? (
                    '(hidden)'
                  ) : (
                    c.value
                  )}
                </td>
                <td>
                  <SourceBadge source={c.source} />
                </td>
                {props.admin && (
                  <td>
                    {!c.readOnly && editing !== c.name && (
                      <button onClick={() => setEditing(c.name)} aria-label={`Edit ${c.name}`}>
                        Edit
                      </button>
                    )}{' '}
                    {c.source === 'topic' && (
                      <button
                        aria-label={`Revert ${c.name} to the inherited value`}
                        onClick={() => {
                          setError(undefined)
                          patch(`/api/topics/${enc(props.topic)}/configs`, { remove: [c.name] }).then(done, setError)
                        }}
                      >
                        Revert
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

/** Grow a topic: Kafka only adds partitions (keys may then map to other partitions). */
export function AddPartitions(props: { topic: string; current: number; onAdded: () => void }) {
  const [count, setCount] = useState(String(props.current + 1))
  const [error, setError] = useState<Error | undefined>()
  return (
    <form
      class="inline-form"
      aria-label="Add partitions"
      onSubmit={(e) => {
        e.preventDefault()
        setError(undefined)
        const n = Number(count)
        if (!Number.isInteger(n) || n <= props.current) {
          setError(
            new Error(`The new count must be a whole number above ${props.current}: partitions cannot be removed`),
          )
          return
        }
        post(`/api/topics/${enc(props.topic)}/partitions`, { count: n }).then(props.onAdded, (err: Error) =>
          setError(err),
        )
      }}
    >
      <label>
        Total partitions{' '}
        <input name="partition-count" type="number" value={count} onInput={(e) => setCount(e.currentTarget.value)} />
      </label>
      <button type="submit">Add partitions</button>
      <span class="muted small">Keyed records may land on other partitions afterwards.</span>
      <ErrorBox error={error} title="Could not add partitions" />
    </form>
  )
}
