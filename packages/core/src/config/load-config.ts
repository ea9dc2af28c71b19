/**
 * One configuration edge for every process: a schema of the environment variables it reads, validated once in
 * main.ts into a frozen, typed object. No coercion: an integer is plain decimal digits, a boolean is `1`/`0`/
 * `true`/`false`, a URL must parse as http(s). Every problem is reported at once in one ConfigError
 * (ISOBAR_CORE_CONFIG_INVALID). The same schemas generate docs/configuration.md (`renderConfigurationDoc`).
 */
import { ConfigError } from '../errors.ts'

/** The environment as a process sees it (main.ts passes `process.env`). */
export type Env = Readonly<Record<string, string | undefined>>

interface VarBase {
  /** One line for docs/configuration.md. */
  readonly description: string
  /** A secret: never echoed back in an error message. */
  readonly secret?: boolean
}

export interface StringVar extends VarBase {
  readonly type: 'string'
  readonly default?: string
}
export interface UrlVar extends VarBase {
  readonly type: 'url'
  readonly default?: string
}
export interface IntegerVar extends VarBase {
  readonly type: 'integer'
  readonly min: number
  readonly max: number
  readonly default?: number
}
export interface NumberVar extends VarBase {
  readonly type: 'number'
  readonly min: number
  readonly max: number
  readonly default?: number
}
/** A JSON object (e.g. a whole service config), parsed; the service's own schema validates its content. */
export interface JsonVar extends VarBase {
  readonly type: 'json'
  readonly default?: undefined
}
export interface BooleanVar extends VarBase {
  readonly type: 'boolean'
  readonly default?: boolean
}
export interface EnumVar<V extends string = string> extends VarBase {
  readonly type: 'enum'
  readonly values: readonly V[]
  readonly default?: V
}

export type EnvVar = StringVar | UrlVar | IntegerVar | NumberVar | JsonVar | BooleanVar | EnumVar

/** LOG_LEVEL, the same in every process (pino's levels). */
export const LOG_LEVEL_VAR = {
  type: 'enum',
  values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
  default: 'info',
  description: 'log level',
} as const satisfies EnumVar

/** The entries of `o` whose value is not undefined: how env shortcuts overlay a JSON config. */
export function definedEntries(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
}

/** The variables one process reads, by name. */
export interface EnvSchema {
  /** Who reads these, short, for error messages ("Invalid <name> configuration: …"). */
  readonly name: string
  /** Who reads these, for the heading of docs/configuration.md. */
  readonly title: string
  readonly vars: Readonly<Record<string, EnvVar>>
  /**
   * Name prefixes this process owns (e.g. `ISOBAR_REGISTRY_`): a set variable with one of them that is not in
   * `vars` is refused, so a misspelt or renamed setting stops the start instead of being silently ignored.
   */
  readonly ownedPrefixes?: readonly string[]
  /** Former names of variables, old → new: named in the refusal of the old one. */
  readonly renamed?: Readonly<Record<string, string>>
}

type ValueOf<V extends EnvVar> = V extends IntegerVar | NumberVar
  ? number
  : V extends JsonVar
    ? Readonly<Record<string, unknown>>
    : V extends BooleanVar
      ? boolean
      : V extends EnumVar<infer E>
        ? E
        : string

/** A variable with a default is always present; one without may be undefined. */
export type EnvConfig<S extends EnvSchema> = {
  readonly [K in keyof S['vars']]: S['vars'][K] extends { default: unknown }
    ? ValueOf<S['vars'][K]>
    : ValueOf<S['vars'][K]> | undefined
}

const INTEGER = /^-?\d{1,15}$/
const DECIMAL = /^-?\d{1,15}(\.\d{1,15})?$/
const BOOLEANS: Readonly<Record<string, boolean>> = { '1': true, true: true, '0': false, false: false }

function parseVar(name: string, spec: EnvVar, raw: string): { value: unknown } | { problem: string } {
  const shown = spec.secret ? '' : ` (got "${raw.length > 80 ? `${raw.slice(0, 80)}…` : raw}")`
  switch (spec.type) {
    case 'string':
      return { value: raw }
    case 'url': {
      let url: URL | undefined
      try {
        url = new URL(raw)
      } catch {
        url = undefined
      }
      if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
        return { problem: `${name} must be an http(s) URL${shown}` }
      }
      return { value: raw }
    }
    case 'integer': {
      const value = INTEGER.test(raw) ? Number(raw) : Number.NaN
      if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max) {
        return { problem: `${name} must be an integer from ${spec.min} to ${spec.max}${shown}` }
      }
      return { value }
    }
    case 'number': {
      const value = DECIMAL.test(raw) ? Number(raw) : Number.NaN
      if (!Number.isFinite(value) || value < spec.min || value > spec.max) {
        return { problem: `${name} must be a decimal number from ${spec.min} to ${spec.max}${shown}` }
      }
      return { value }
    }
    case 'json': {
      let value: unknown
      try {
        value = JSON.parse(raw)
      } catch (error) {
        return { problem: `${name} is not valid JSON: ${(error as Error).message}` }
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return { problem: `${name} must be a JSON object` }
      }
      return { value }
    }
    case 'boolean': {
      const value = BOOLEANS[raw]
      return value === undefined ? { problem: `${name} must be 1, 0, true or false${shown}` } : { value }
    }
    case 'enum':
      return spec.values.includes(raw)
        ? { value: raw }
        : { problem: `${name} must be one of ${spec.values.join(', ')}${shown}` }
  }
}

/**
 * Reads the schema's variables from `env` (only a process's main.ts passes `process.env`). An empty string counts
 * as unset. Throws ConfigError listing every bad variable; returns a frozen object keyed by variable name.
 */
export function loadConfig<S extends EnvSchema>(schema: S, env: Env): EnvConfig<S> {
  const problems: string[] = []
  const config: Record<string, unknown> = {}
  for (const [name, spec] of Object.entries(schema.vars)) {
    const raw = env[name]
    if (raw === undefined || raw === '') {
      if (spec.default !== undefined) config[name] = spec.default
      continue
    }
    const parsed = parseVar(name, spec, raw)
    if ('problem' in parsed) problems.push(parsed.problem)
    else config[name] = parsed.value
  }
  problems.push(...unknownOwned(schema, env))
  if (problems.length > 0) {
    throw new ConfigError(`Invalid ${schema.name} configuration: ${problems.join('; ')}`, { problems })
  }
  return Object.freeze(config) as EnvConfig<S>
}

/** Set variables under the schema's own prefixes that it does not declare, each with the likely intended name. */
function unknownOwned(schema: EnvSchema, env: Env): string[] {
  const prefixes = schema.ownedPrefixes ?? []
  const known = Object.keys(schema.vars)
  const problems: string[] = []
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '' || name in schema.vars) continue
    if (!prefixes.some((prefix) => name.startsWith(prefix))) continue
    const renamedTo = schema.renamed?.[name]
    const near = renamedTo === undefined ? known.find((k) => editDistance(k, name) <= 2) : undefined
    const hint = renamedTo ? ` (renamed to ${renamedTo})` : near ? ` (did you mean ${near}?)` : ''
    problems.push(`${name} is not a ${schema.name} setting${hint}`)
  }
  return problems
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution))
    }
    previous = current
  }
  return previous[b.length]!
}

/** Throws the one configuration error for a rule across variables (e.g. "set A or B, not both"). */
export function configProblem(schema: EnvSchema, problem: string): never {
  throw new ConfigError(`Invalid ${schema.name} configuration: ${problem}`, { problems: [problem] })
}

function typeText(spec: EnvVar): string {
  switch (spec.type) {
    case 'integer':
      return `integer ${spec.min}–${spec.max}`
    case 'number':
      return `number ${spec.min}–${spec.max}`
    case 'json':
      return 'JSON object'
    case 'enum':
      return spec.values.map((v) => `\`${v}\``).join(', ')
    case 'boolean':
      return '`1`/`0`/`true`/`false`'
    default:
      return spec.type
  }
}

/** The markdown of docs/configuration.md: one table per schema, generated, so the doc cannot drift. */
export function renderConfigurationDoc(schemas: readonly EnvSchema[]): string {
  const lines = [
    '# Configuration',
    '',
    '<!-- Generated from the configuration schemas by `npm run docs`; a test fails when this file drifts. -->',
    '',
    'Every process reads its environment once, in its `main.ts`, through `loadConfig(schema, env)` of',
    '`@isobar/core`: values are checked without coercion (integers are decimal digits, booleans `1`/`0`/`true`/',
    '`false`), an empty variable counts as unset, and every problem is reported at once as one',
    '`ISOBAR_CORE_CONFIG_INVALID` error. Libraries never read the environment.',
  ]
  for (const schema of schemas) {
    lines.push('', `## ${schema.title}`, '', '| Variable | Type | Default | Meaning |', '|---|---|---|---|')
    for (const [name, spec] of Object.entries(schema.vars)) {
      const fallback = spec.default === undefined ? '—' : `\`${String(spec.default)}\``
      lines.push(`| \`${name}\` | ${typeText(spec)} | ${fallback} | ${spec.description} |`)
    }
    if (schema.ownedPrefixes?.length) {
      const prefixes = schema.ownedPrefixes.map((p) => `\`${p}*\``).join(', ')
      const renamed = Object.entries(schema.renamed ?? {}).map(([from, to]) => `\`${from}\` → \`${to}\``)
      lines.push(
        '',
        `Any other variable named ${prefixes} is refused at start (a misspelt or renamed setting is not ignored)` +
          (renamed.length ? `; renamed: ${renamed.join(', ')}.` : '.'),
      )
    }
  }
  return `${lines.join('\n')}\n`
}
