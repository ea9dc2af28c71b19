import { useState } from 'preact/hooks'
import { enc, post } from '../api.ts'
import { ErrorBox } from '../components/ui.tsx'

interface PlanRow {
  partition: number
  currentOffset: number | null
  newOffset: number
  lagBefore: number | null
  lagAfter: number
}

interface Plan {
  topic: string
  dryRun: boolean
  activeMembers: number
  partitions: PlanRow[]
  totalLagBefore: number
  totalLagAfter: number
}

type To = 'earliest' | 'latest' | 'timestamp' | 'offset'

function lagChange(before: number | null, after: number): string {
  if (before === null) return `– → ${after}`
  const delta = after - before
  return `${before} → ${after} (${delta > 0 ? '+' : ''}${delta})`
}

/**
 * Reset a group's offsets on one topic: preview first (dry run: per partition the committed offset → the new one
 * and the lag change), then apply; the API refuses the reset (409, said in words) while the group has members.
 */
export function OffsetReset(props: { group: string; topics: string[]; onReset: () => void }) {
  const [topic, setTopic] = useState(props.topics[0] ?? '')
  const [to, setTo] = useState<To>('earliest')
  const [when, setWhen] = useState('')
  const [offset, setOffset] = useState('0')
  const [plan, setPlan] = useState<Plan | undefined>()
  const [error, setError] = useState<Error | undefined>()
  const [applied, setApplied] = useState(false)

  const body = (dryRun: boolean): Record<string, unknown> | Error => {
    if (topic.trim() === '') return new Error('Choose a topic')
    const base = { topic: topic.trim(), to, dryRun }
    if (to === 'timestamp') {
      const ms = Date.parse(when)
      if (Number.isNaN(ms)) return new Error('Give the date and time to reset to')
      return { ...base, timestamp: ms }
    }
    if (to === 'offset') {
      const n = Number(offset)
      if (!Number.isInteger(n) || n < 0) return new Error('The offset must be a whole number of at least 0')
      return { ...base, offset: n }
    }
    return base
  }
  const send = (dryRun: boolean) => {
    setError(undefined)
    setApplied(false)
    const b = body(dryRun)
    if (b instanceof Error) return setError(b)
    post<Plan>(`/api/groups/${enc(props.group)}/offsets/reset`, b).then(
      (result) => {
        setPlan(result)
        if (!dryRun) {
          setApplied(true)
          props.onReset()
        }
      },
      (err: Error) => setError(err),
    )
  }

  return (
    <div class="reset">
      <h2>Reset offsets</h2>
      <form
        class="inline-form"
        aria-label="Reset offsets"
        onSubmit={(e) => {
          e.preventDefault()
          send(true)
        }}
      >
        <label>
          Topic{' '}
          <input
            name="reset-topic"
            list="reset-topics"
            value={topic}
            onInput={(e) => {
              setTopic(e.currentTarget.value)
              setPlan(undefined)
            }}
          />
          <datalist id="reset-topics">
            {props.topics.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </label>
        <label>
          To{' '}
          <select
            name="reset-to"
            value={to}
            onChange={(e) => {
              setTo(e.currentTarget.value as To)
              setPlan(undefined)
            }}
          >
            <option value="earliest">earliest</option>
            <option value="latest">latest</option>
            <option value="timestamp">a time</option>
            <option value="offset">an offset</option>
          </select>
        </label>
        {to === 'timestamp' && (
          <label>
            Time{' '}
            <input
              name="reset-time"
              type="datetime-local"
              step="1"
              value={when}
              onInput={(e) => setWhen(e.currentTarget.value)}
            />
          </label>
        )}
        {to === 'offset' && (
          <label>
            Offset{' '}
            <input
              name="reset-offset"
              type="number"
              min="0"
              value={offset}
              onInput={(e) => setOffset(e.currentTarget.value)}
            />
          </label>
        )}
        <button type="submit">Preview</button>
        <button
          type="button"
          class="danger"
          disabled={!plan || plan.topic !== topic.trim()}
          onClick={() => send(false)}
        >
          Apply reset
        </button>
      </form>
      <ErrorBox error={error} title="Could not reset the offsets" />
      {plan && (
        <div class="table-wrap">
          <table data-testid="reset-plan">
            <caption>
              {applied ? 'Applied' : 'Preview (dry run, nothing changed)'}: {plan.topic}, total lag{' '}
              {lagChange(plan.totalLagBefore, plan.totalLagAfter)}
              {!applied &&
                plan.activeMembers > 0 &&
                ` — the group has ${plan.activeMembers} active member(s): stop them before applying`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Partition</th>
                <th scope="col">Current → new offset</th>
                <th scope="col">Lag</th>
              </tr>
            </thead>
            <tbody>
              {plan.partitions.map((p) => (
                <tr key={p.partition}>
                  <td class="num">{p.partition}</td>
                  <td class="num">
                    {p.currentOffset ?? '–'} → {p.newOffset}
                  </td>
                  <td class="num">{lagChange(p.lagBefore, p.lagAfter)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
