import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'

export function ErrorBox(props: { error: Error | undefined | null; title?: string }) {
  if (!props.error) return null
  return (
    <div class="error" role="alert">
      <strong>{props.title ?? 'Something went wrong'}:</strong> {props.error.message}
    </div>
  )
}

export function Loading(props: { what?: string }) {
  return (
    <p class="muted" aria-live="polite">
      Loading {props.what ?? ''}…
    </p>
  )
}

export function Badge(props: { kind: string; children: ComponentChildren; title?: string }) {
  return (
    <span class={`badge badge-${props.kind.toLowerCase()}`} title={props.title}>
      {props.children}
    </span>
  )
}

export function Stat(props: { label: string; value: ComponentChildren; kind?: string }) {
  return (
    <div class={`stat ${props.kind ? `stat-${props.kind}` : ''}`}>
      <div class="stat-value">{props.value}</div>
      <div class="stat-label">{props.label}</div>
    </div>
  )
}

/** A destructive action that asks for the name first (typed, so keyboard users confirm too). */
export function ConfirmByName(props: { name: string; action: string; onConfirm: () => Promise<void> }) {
  const [open, setOpen] = useState(false)
  const [typed, setTyped] = useState('')
  const [error, setError] = useState<Error | undefined>()
  const [busy, setBusy] = useState(false)
  if (!open) {
    return (
      <button class="danger" onClick={() => setOpen(true)}>
        {props.action}…
      </button>
    )
  }
  return (
    <form
      class="confirm"
      onSubmit={(e) => {
        e.preventDefault()
        setBusy(true)
        props.onConfirm().then(
          () => setBusy(false),
          (err: Error) => {
            setBusy(false)
            setError(err)
          },
        )
      }}
    >
      <label>
        Type <code>{props.name}</code> to confirm: {props.action.toLowerCase()}
        <input value={typed} onInput={(e) => setTyped(e.currentTarget.value)} autoFocus aria-label="confirm name" />
      </label>
      <button class="danger" type="submit" disabled={typed !== props.name || busy}>
        {props.action}
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      <ErrorBox error={error} title={`Could not ${props.action.toLowerCase()}`} />
    </form>
  )
}
