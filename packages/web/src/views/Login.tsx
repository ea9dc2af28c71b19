import { useState } from 'preact/hooks'
import { post } from '../api.ts'
import type { Role } from '../types.ts'
import { ErrorBox } from '../components/ui.tsx'

/** Exchanges the API token for an HttpOnly session cookie; the token never goes into a URL or storage. */
export function Login(props: { onLogin: (role: Role) => void }) {
  const [token, setToken] = useState('')
  const [error, setError] = useState<Error | undefined>()
  const [busy, setBusy] = useState(false)
  return (
    <main class="login">
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault()
          setBusy(true)
          setError(undefined)
          post<{ role: Role }>('/api/session', { token: token.trim() }).then(
            (session) => props.onLogin(session.role),
            (err: Error) => {
              setBusy(false)
              setError(
                (err as { status?: number }).status === 401
                  ? new Error('That token is not valid. Use the one `npm start` printed (or ISOBAR_CONSOLE_TOKEN).')
                  : err,
              )
            },
          )
        }}
      >
        <h1>Isobar</h1>
        <p class="muted">Live telemetry and Kafka operations</p>
        <label for="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="current-password"
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          required
          autoFocus
        />
        <button type="submit" class="primary" disabled={busy || token.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <ErrorBox error={error} title="Sign-in failed" />
      </form>
    </main>
  )
}
