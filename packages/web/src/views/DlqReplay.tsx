import { useState } from 'preact/hooks'
import { enc, post } from '../api.ts'
import { ErrorBox } from '../components/ui.tsx'

export interface SelectedDeadLetter {
  partition: number
  offset: number
  sourceTopic: string | null
  truncated: string | null
}

interface Result {
  partition: number
  offset: number
  to: string | null
  fixed: boolean
  outcome: string
  replayedOffset: number | null
}

/**
 * Re-publishes the selected dead letters to their source topic (or another one). A truncated dead letter needs
 * its fixed value (JSON); the API refuses the whole request, naming each, when one cannot be sent.
 */
export function DlqReplay(props: { topic: string; selected: SelectedDeadLetter[]; onDone: () => void }) {
  const [to, setTo] = useState('')
  const [fixed, setFixed] = useState<Record<string, string>>({})
  const [results, setResults] = useState<{ dryRun: boolean; sent: number; results: Result[] } | undefined>()
  const [error, setError] = useState<Error | undefined>()
  const key = (d: SelectedDeadLetter) => `${d.partition}@${d.offset}`

  const send = (dryRun: boolean) => {
    setError(undefined)
    setResults(undefined)
    const records: Array<Record<string, unknown>> = []
    for (const d of props.selected) {
      const text = fixed[key(d)]?.trim() ?? ''
      if (text === '') {
        records.push({ partition: d.partition, offset: d.offset })
        continue
      }
      try {
        records.push({ partition: d.partition, offset: d.offset, fixedValue: JSON.parse(text) as unknown })
      } catch (err) {
        setError(new Error(`The fixed value of ${key(d)} is not valid JSON: ${(err as Error).message}`))
        return
      }
    }
    post<{ dryRun: boolean; sent: number; results: Result[] }>(`/api/topics/${enc(props.topic)}/dlq/replay`, {
      records,
      dryRun,
      ...(to.trim() !== '' ? { to: to.trim() } : {}),
    }).then(
      (r) => {
        setResults(r)
        if (!dryRun) props.onDone()
      },
      (err: Error) => setError(err),
    )
  }

  const outcome = results && (
    <div class="table-wrap wide">
      <table data-testid="replay-results">
        <caption>
          {results.dryRun ? 'Preview (nothing sent)' : `Re-published ${results.sent} of ${results.results.length}`}
        </caption>
        <thead>
          <tr>
            <th scope="col">Dead letter</th>
            <th scope="col">To</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {results.results.map((r) => (
            <tr key={`${r.partition}@${r.offset}`}>
              <td class="num">
                {r.partition}@{r.offset}
              </td>
              <td>{r.to ?? '–'}</td>
              <td>
                {r.outcome}
                {r.replayedOffset !== null && ` (offset ${r.replayedOffset})`}
                {r.fixed && ' — fixed value'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
  if (props.selected.length === 0) {
    // After a re-publish the selection is cleared; what happened stays shown.
    return (
      <div>
        <p class="muted small">Select dead letters (the boxes in the first column) to re-publish them.</p>
        {outcome}
      </div>
    )
  }
  return (
    <form
      class="produce"
      aria-label="Re-publish dead letters"
      onSubmit={(e) => {
        e.preventDefault()
        send(false)
      }}
    >
      <p class="wide">
        <strong>{props.selected.length} selected</strong>: each goes back to the topic in its{' '}
        <code>isobar.dlq.original.topic</code> header (dlq headers removed, <code>isobar.dlq.replayed.from</code>{' '}
        added). Replaying twice sends twice.
      </p>
      <label>
        Send to instead{' '}
        <input name="replay-to" value={to} placeholder="(source topic)" onInput={(e) => setTo(e.currentTarget.value)} />
      </label>
      {props.selected
        .filter((d) => d.truncated)
        .map((d) => (
          <label class="wide" key={key(d)}>
            Fixed value of {key(d)} (truncated: {d.truncated}; JSON)
            <textarea
              name={`fixed-${key(d)}`}
              rows={2}
              value={fixed[key(d)] ?? ''}
              onInput={(e) => {
                const value = e.currentTarget.value
                setFixed((all) => ({ ...all, [key(d)]: value }))
              }}
            />
          </label>
        ))}
      <button type="button" onClick={() => send(true)}>
        Preview re-publish
      </button>
      <button type="submit" class="primary">
        Re-publish selected
      </button>
      <ErrorBox error={error} title="Not re-published" />
      {outcome}
    </form>
  )
}
