import { useEffect, useMemo, useState } from 'preact/hooks'
import { ApiError, del, get, setUnauthorizedHandler } from './api.ts'
import { useStore } from './hooks.ts'
import { LiveStore } from './live.ts'
import { Link, match, navigate, useLocation } from './router.tsx'
import type { Role } from './types.ts'
import { Alerts } from './views/Alerts.tsx'
import { Cluster } from './views/Cluster.tsx'
import { Fleet, Zone } from './views/Fleet.tsx'
import { GroupDetail, Groups } from './views/Groups.tsx'
import { Login } from './views/Login.tsx'
import { SchemaDetail, Schemas } from './views/Schemas.tsx'
import { Sensor } from './views/Sensor.tsx'
import { Dlq, TopicDetail, Topics } from './views/Topics.tsx'
import { Weather } from './views/Weather.tsx'

type Theme = 'dark' | 'light'

function initialTheme(): Theme {
  const saved = localStorage.getItem('isobar-theme')
  if (saved === 'dark' || saved === 'light') return saved
  return matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark'
}

const NAV: Array<[string, string]> = [
  ['/', 'Fleet'],
  ['/alerts', 'Alerts'],
  ['/weather', 'Weather'],
  ['/topics', 'Topics'],
  ['/groups', 'Groups'],
  ['/schemas', 'Schemas'],
  ['/dlq', 'DLQ'],
  ['/cluster', 'Cluster'],
]

export function App() {
  const [session, setSession] = useState<{ role: Role } | null | undefined>(undefined)
  const [sessionError, setSessionError] = useState<Error | undefined>()
  const [theme, setTheme] = useState<Theme>(initialTheme)

  useEffect(() => {
    document.documentElement.dataset.theme = theme
    localStorage.setItem('isobar-theme', theme)
  }, [theme])

  useEffect(() => {
    setUnauthorizedHandler(() => setSession(null))
    get<{ role: Role }>('/api/session').then(
      (s) => setSession(s),
      (err: Error) => {
        if (err instanceof ApiError && err.status === 401) setSession(null)
        else setSessionError(err)
      },
    )
  }, [])

  if (sessionError) {
    return (
      <main class="login">
        <div class="card error" role="alert">
          {sessionError.message}
        </div>
      </main>
    )
  }
  if (session === undefined) return <main class="login muted">Loading…</main>
  if (session === null) return <Login onLogin={(role) => setSession({ role })} />
  return (
    <Shell
      role={session.role}
      theme={theme}
      onTheme={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
      onLogout={() => {
        void del('/api/session').finally(() => {
          setSession(null)
          navigate('/', true)
        })
      }}
    />
  )
}

function Shell(props: { role: Role; theme: Theme; onTheme: () => void; onLogout: () => void }) {
  const store = useMemo(() => new LiveStore(), [])
  useEffect(() => {
    store.start()
    return () => store.stop()
  }, [store])
  useStore(store)
  const { path } = useLocation()
  const admin = props.role === 'admin'
  const section = '/' + (path.split('/')[1] ?? '')

  let view
  let params: Record<string, string> | undefined
  if (path === '/' || path === '') view = <Fleet store={store} />
  else if ((params = match('/zones/:zone', path))) view = <Zone store={store} zone={params.zone!} />
  else if ((params = match('/sensors/:sensor', path)))
    view = <Sensor store={store} sensor={params.sensor!} admin={admin} />
  else if (path === '/alerts') view = <Alerts store={store} admin={admin} />
  else if (path === '/weather') view = <Weather store={store} />
  else if (path === '/topics') view = <Topics admin={admin} />
  else if ((params = match('/topics/:topic', path))) view = <TopicDetail topic={params.topic!} admin={admin} />
  else if (path === '/groups') view = <Groups store={store} />
  else if ((params = match('/groups/:group', path)))
    view = <GroupDetail group={params.group!} store={store} admin={admin} />
  else if (path === '/schemas') view = <Schemas />
  else if ((params = match('/schemas/:subject', path))) view = <SchemaDetail subject={params.subject!} />
  else if (path === '/dlq') view = <Dlq />
  else if (path === '/cluster') view = <Cluster />
  else
    view = (
      <section>
        <h1>Not found</h1>
        <p>
          There is no page at <code>{path}</code>. <Link href="/">Back to the fleet</Link>
        </p>
      </section>
    )

  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link href="/" class="brand">
          Isobar
        </Link>
        <nav aria-label="Main">
          {NAV.map(([href, label]) => (
            <Link
              key={href}
              href={href}
              aria-current={
                (href === '/' ? section === '/' || section === '/zones' || section === '/sensors' : section === href)
                  ? 'page'
                  : undefined
              }
            >
              {label}
            </Link>
          ))}
        </nav>
        <div class="top-right">
          <span class={`stream stream-${store.status}`} title="Live feed" aria-live="polite">
            {store.status}
          </span>
          <span class="muted">{props.role}</span>
          <button onClick={props.onTheme} aria-label={`Switch to ${props.theme === 'dark' ? 'light' : 'dark'} theme`}>
            {props.theme === 'dark' ? '☀' : '☾'}
          </button>
          <button onClick={props.onLogout}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {view}
      </main>
    </div>
  )
}
