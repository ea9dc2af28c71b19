import { useState } from 'preact/hooks'
import { enc, get, post } from '../api.ts'
import { Badge, ErrorBox, Loading } from '../components/ui.tsx'
import { useAsync } from '../hooks.ts'
import { Link } from '../router.tsx'

interface Version {
  subject: string
  version: number
  id: number
  schema: string
  schemaType: string
}

interface Subject {
  subject: string
  compatibility: string
  versions: Version[]
}

function pretty(schema: string): string {
  try {
    return JSON.stringify(JSON.parse(schema), null, 2)
  } catch {
    return schema
  }
}

export function Schemas() {
  const subjects = useAsync(() => get<{ subjects: string[] }>('/api/schemas/subjects'), [])
  return (
    <section>
      <h1>Schema registry</h1>
      <ErrorBox error={subjects.error} title="Could not list subjects" />
      {subjects.loading && !subjects.data && <Loading what="subjects" />}
      <ul class="list">
        {(subjects.data?.subjects ?? []).sort().map((s) => (
          <li key={s}>
            <Link href={`/schemas/${enc(s)}`}>{s}</Link>
          </li>
        ))}
      </ul>
    </section>
  )
}

export function SchemaDetail(props: { subject: string }) {
  const subject = useAsync(() => get<Subject>(`/api/schemas/subjects/${enc(props.subject)}`), [props.subject])
  const [left, setLeft] = useState<number | undefined>()
  const [candidate, setCandidate] = useState<string | undefined>()
  const [check, setCheck] = useState<{ isCompatible: boolean; messages: string[] } | undefined>()
  const [checkError, setCheckError] = useState<Error | undefined>()
  const s = subject.data
  const latest = s?.versions.at(-1)
  const shownLeft = s?.versions.find((v) => v.version === left) ?? s?.versions.at(-2)
  return (
    <section>
      <p class="crumbs">
        <Link href="/schemas">Schemas</Link> › {props.subject}
      </p>
      <h1>{props.subject}</h1>
      <ErrorBox error={subject.error} title="Could not read the subject" />
      {subject.loading && !s && <Loading what="subject" />}
      {s && latest && (
        <>
          <p>
            Compatibility <Badge kind="info">{s.compatibility}</Badge> · {s.versions.length} versions · latest v
            {latest.version} (id {latest.id})
          </p>
          <div class="side-by-side">
            <div>
              <label>
                Version{' '}
                <select
                  value={String(shownLeft?.version ?? '')}
                  onChange={(e) => setLeft(Number(e.currentTarget.value))}
                >
                  {s.versions.map((v) => (
                    <option key={v.version} value={String(v.version)}>
                      v{v.version} (id {v.id})
                    </option>
                  ))}
                </select>
              </label>
              <pre class="schema">{shownLeft ? pretty(shownLeft.schema) : ''}</pre>
            </div>
            <div>
              <div>
                Latest v{latest.version} (id {latest.id})
              </div>
              <pre class="schema">{pretty(latest.schema)}</pre>
            </div>
          </div>
          <h2>Check a new version</h2>
          <form
            aria-label="Check compatibility"
            onSubmit={(e) => {
              e.preventDefault()
              setCheck(undefined)
              setCheckError(undefined)
              const text = candidate ?? pretty(latest.schema)
              try {
                JSON.parse(text)
              } catch (err) {
                setCheckError(new Error(`The schema is not valid JSON: ${(err as Error).message}`))
                return
              }
              post<{ isCompatible: boolean; messages: string[] }>(
                `/api/schemas/subjects/${enc(props.subject)}/compatibility`,
                {
                  schema: text,
                },
              ).then(setCheck, (err: Error) => setCheckError(err))
            }}
          >
            <textarea
              name="candidate"
              rows={14}
              spellcheck={false}
              value={candidate ?? pretty(latest.schema)}
              onInput={(e) => setCandidate(e.currentTarget.value)}
              aria-label="candidate schema"
            />
            <button type="submit" class="primary">
              Check compatibility
            </button>
          </form>
          <ErrorBox error={checkError} title="Could not check" />
          {check && (
            <div role="status" data-testid="compat-result" class={check.isCompatible ? 'ok' : 'error'}>
              {check.isCompatible
                ? `Compatible with ${s.compatibility}: it can be registered as the next version.`
                : `Not compatible with ${s.compatibility}.`}
              {check.messages.length > 0 && (
                <ul>
                  {check.messages.map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </>
      )}
    </section>
  )
}
