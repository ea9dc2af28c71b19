import { useMemo, useState } from 'preact/hooks'
import { enc, get, post } from '../api.ts'
import { ErrorBox } from '../components/ui.tsx'
import { useAsync } from '../hooks.ts'
import { allowsUnknown, checkFlatValue, flatFields, valueFromInputs, type FieldSpec } from '../schema-form.ts'
import type { TopicDescription } from './Topics.tsx'

interface ValueSchema {
  subject: string
  version: number
  id: number
  schemaType: string
  schema: unknown
}

type Offered = (ValueSchema & { found: true }) | { found: false; subject: string; reason: string }

type Mode = 'form' | 'json' | 'text'

/** The topic's latest value schema, or null when it has none (or no registry is configured). */
async function valueSchemaOf(topic: string): Promise<ValueSchema | null> {
  const offered = await get<Offered>(`/api/topics/${enc(topic)}/value-schema`)
  return offered.found ? offered : null
}

function FieldInput(props: { spec: FieldSpec; value: string; onInput: (v: string) => void }) {
  const { spec } = props
  const label = `${spec.name}${spec.required ? ' *' : ''}`
  const choices = spec.enum ?? (spec.type === 'boolean' ? [true, false] : undefined)
  return (
    <label title={spec.description}>
      {label}{' '}
      {choices ? (
        <select name={`field-${spec.name}`} value={props.value} onChange={(e) => props.onInput(e.currentTarget.value)}>
          <option value="">(none)</option>
          {spec.nullable && <option value="null">null</option>}
          {choices.map((c) => (
            <option key={String(c)} value={String(c)}>
              {String(c)}
            </option>
          ))}
        </select>
      ) : spec.type === 'string' ? (
        <input
          name={`field-${spec.name}`}
          type="text"
          value={props.value}
          placeholder="text"
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      ) : (
        <input
          name={`field-${spec.name}`}
          type="number"
          step={spec.type === 'integer' ? '1' : 'any'}
          value={props.value}
          placeholder={spec.type}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      )}
    </label>
  )
}

/**
 * Produces one message. With a registered value schema (subject <topic>-value) the form offers it: one field per
 * property for a flat object schema, raw JSON otherwise; the browser checks the value first, the server validates
 * again (422 naming each problem) and sends it registry-framed. Without a schema: JSON or text.
 */
export function ProduceForm(props: { topic: TopicDescription }) {
  const schema = useAsync(() => valueSchemaOf(props.topic.name), [props.topic.name])
  const s = schema.data
  const fields = useMemo(() => (s && s.schemaType === 'JSON' ? flatFields(s.schema) : undefined), [s])
  const [chosen, setMode] = useState<Mode | undefined>()
  const mode: Mode = chosen ?? (fields ? 'form' : 'json')
  const [inputs, setInputs] = useState<Record<string, string>>({})
  const [key, setKey] = useState('')
  const [value, setValue] = useState('{\n  \n}')
  const [useSchema, setUseSchema] = useState(true)
  const [headers, setHeaders] = useState('')
  const [partition, setPartition] = useState('')
  const [error, setError] = useState<Error | undefined>()
  const [problems, setProblems] = useState<string[]>([])
  const [result, setResult] = useState<{ partition: number; offset: number } | undefined>()
  const framed = s !== null && s !== undefined && s.schemaType === 'JSON' && mode !== 'text' && useSchema

  const submit = () => {
    setError(undefined)
    setProblems([])
    setResult(undefined)
    let parsed: unknown = value
    if (mode === 'form' && fields) parsed = valueFromInputs(fields, inputs)
    else if (mode === 'json') {
      try {
        parsed = JSON.parse(value)
      } catch (err) {
        setError(new Error(`The value is not valid JSON: ${(err as Error).message}`))
        return
      }
    }
    if (framed && fields) {
      const found = checkFlatValue(fields, parsed, allowsUnknown(s.schema))
      if (found.length > 0) {
        setProblems(found)
        return
      }
    }
    const headerMap: Record<string, string> = {}
    for (const line of headers.split('\n').filter((l) => l.trim() !== '')) {
      const eq = line.indexOf('=')
      if (eq <= 0) {
        setError(new Error(`Header line "${line}" is not name=value`))
        return
      }
      headerMap[line.slice(0, eq).trim()] = line.slice(eq + 1)
    }
    post<{ partition: number; offset: number }>(`/api/topics/${enc(props.topic.name)}/messages`, {
      ...(key !== '' ? { key } : {}),
      value: parsed,
      valueEncoding: framed ? 'registry' : mode === 'text' ? 'string' : 'json',
      headers: headerMap,
      ...(partition !== '' ? { partition: Number(partition) } : {}),
    }).then(setResult, (err: Error) => setError(err))
  }

  return (
    <form
      class="produce"
      aria-label="Produce a message"
      onSubmit={(e) => {
        e.preventDefault()
        submit()
      }}
    >
      <p class="wide muted" data-testid="value-schema">
        {schema.loading && !schema.data && 'Looking for a value schema…'}
        {s === null && `No schema registered for ${props.topic.name}-value: the value is sent as you write it.`}
        {s &&
          `Value schema: ${s.subject} v${s.version} (id ${s.id})${fields ? '' : ' — not a flat object, so written as raw JSON'}.`}
      </p>
      <ErrorBox error={schema.error} title="Could not look up the value schema" />
      <label>
        Key <input name="key" value={key} onInput={(e) => setKey(e.currentTarget.value)} placeholder="(none)" />
      </label>
      <label>
        Partition
        <select name="partition" value={partition} onChange={(e) => setPartition(e.currentTarget.value)}>
          <option value="">by key</option>
          {props.topic.partitions.map((p) => (
            <option key={p.partition} value={String(p.partition)}>
              {p.partition}
            </option>
          ))}
        </select>
      </label>
      <label>
        Value as
        <select name="encoding" value={mode} onChange={(e) => setMode(e.currentTarget.value as Mode)}>
          {fields && <option value="form">schema form</option>}
          <option value="json">JSON</option>
          <option value="text">text</option>
        </select>
      </label>
      {s && s.schemaType === 'JSON' && mode !== 'text' && (
        <label>
          <input type="checkbox" checked={useSchema} onChange={(e) => setUseSchema(e.currentTarget.checked)} /> validate
          and frame with schema id {s.id}
        </label>
      )}
      {mode === 'form' && fields && (
        <fieldset class="wide schema-fields" aria-label="Schema fields">
          <legend>Fields of {s?.subject}</legend>
          {fields.map((f) => (
            <FieldInput
              key={f.name}
              spec={f}
              value={inputs[f.name] ?? ''}
              onInput={(v) => setInputs((all) => ({ ...all, [f.name]: v }))}
            />
          ))}
        </fieldset>
      )}
      {mode !== 'form' && (
        <label class="wide">
          Value
          <textarea
            name="value"
            rows={8}
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
            spellcheck={false}
          />
        </label>
      )}
      <label class="wide">
        Headers (one name=value per line)
        <textarea name="headers" rows={2} value={headers} onInput={(e) => setHeaders(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary">
        Produce
      </button>
      {problems.length > 0 && (
        <div class="error wide" role="alert" data-testid="value-problems">
          <strong>Not sent, the value does not match the schema:</strong>
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <ErrorBox error={error} title="Not produced" />
      {result && (
        <p role="status" class="ok">
          Produced to partition {result.partition} at offset {result.offset}
          {framed ? ` (registry-framed, schema id ${s.id})` : ''}.
        </p>
      )}
    </form>
  )
}
