import { useState } from 'preact/hooks'
import { post } from '../api.ts'
import type { AlertEvent } from '../types.ts'
import { ErrorBox } from './ui.tsx'

/** Acknowledge / silence / unsilence through the Admin API (→ sensors.alert-commands); the feed shows the effect. */
export function AlertActions(props: { alert: AlertEvent; admin: boolean }) {
  const { alert } = props
  const [error, setError] = useState<Error | undefined>()
  const [sent, setSent] = useState<string | undefined>()
  if (!props.admin) return <span class="muted">read-only</span>
  const send = (action: 'acknowledge' | 'silence' | 'unsilence', extra: Record<string, unknown> = {}): void => {
    setError(undefined)
    setSent(action)
    post(`/api/alerts/${action}`, { ruleId: alert.ruleId, entityId: alert.entityId, ...extra }).catch((err: Error) => {
      setSent(undefined)
      setError(err)
    })
  }
  const silenced = alert.silencedUntilMs !== undefined && alert.silencedUntilMs > Date.now()
  const label = `${alert.ruleId} on ${alert.entityId}`
  return (
    <div class="actions">
      {alert.state === 'firing' && !alert.acknowledgedBy && (
        <button onClick={() => send('acknowledge', { alertId: alert.alertId })} aria-label={`Acknowledge ${label}`}>
          {sent === 'acknowledge' ? 'Acknowledging…' : 'Acknowledge'}
        </button>
      )}
      {silenced ? (
        <button onClick={() => send('unsilence')} aria-label={`Unsilence ${label}`}>
          Unsilence
        </button>
      ) : (
        <button onClick={() => send('silence', { durationMs: 3_600_000 })} aria-label={`Silence ${label} for 1 hour`}>
          {sent === 'silence' ? 'Silencing…' : 'Silence 1h'}
        </button>
      )}
      <ErrorBox error={error} title="The command was not sent" />
    </div>
  )
}
