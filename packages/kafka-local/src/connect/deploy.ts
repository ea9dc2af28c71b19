/**
 * Connector definitions live as JSON files in the repo (deploy/connect/<name>.json: the connector's config, with
 * `${variable}` placeholders for what depends on the machine). `deployConnectors` creates or updates each one
 * through Connect's REST API (`PUT /connectors/<name>/config`, idempotent) and waits until it and its tasks run.
 */
import { readdir, readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KafkaLocalError, KafkaLocalErrorCodes } from '../errors.ts'
import { sleep } from '../processes.ts'

export const CONNECTORS_DIR = fileURLToPath(new URL('../../../../deploy/connect', import.meta.url))

export interface ConnectorVariables {
  /** Prepended to every topic a connector reads ('' in the platform; tests use unique prefixes). */
  topicPrefix: string
  registryUrl: string
  jdbcUrl: string
  dbUser: string
  dbPassword: string
  /** Of the dead-letter topic Connect creates (the cluster's node count, at most 3). */
  replicationFactor: string
}

export interface ConnectorDefinition {
  name: string
  config: Record<string, string>
}

export interface DeployConnectorsOptions {
  url: string
  variables: ConnectorVariables
  dir?: string
  /** Prepended to each connector name (its consumer group is `connect-<name>`). */
  namePrefix?: string
  /** Deploy only these definitions (file names without .json); default all. */
  only?: readonly string[]
  timeoutMs?: number
}

export interface DeployedConnector {
  name: string
  created: boolean
  state: string
  tasks: number
}

export interface ConnectorState {
  name: string
  state: string
  tasks: Array<{ id: number; state: string; trace?: string }>
  trace?: string
}

function deployError(message: string): KafkaLocalError {
  return new KafkaLocalError(KafkaLocalErrorCodes.CONNECT_DEPLOY_FAILED, message)
}

/** Reads every `<dir>/*.json` and fills its placeholders; an unknown placeholder or a non-string value is refused. */
export async function loadConnectorDefinitions(
  variables: ConnectorVariables,
  dir: string = CONNECTORS_DIR,
  namePrefix = '',
): Promise<ConnectorDefinition[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()
  const values: Record<string, string> = { ...variables }
  const definitions: ConnectorDefinition[] = []
  for (const file of files) {
    const parsed = JSON.parse(await readFile(join(dir, file), 'utf8')) as unknown
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw deployError(`${file}: a connector definition is a JSON object of string settings`)
    }
    const config: Record<string, string> = {}
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value !== 'string') throw deployError(`${file}: setting ${key} must be a string`)
      config[key] = value.replace(/\$\{(\w+)\}/g, (_, name: string) => {
        const filled = values[name]
        if (filled === undefined) throw deployError(`${file}: unknown placeholder \${${name}} in ${key}`)
        return filled
      })
    }
    definitions.push({ name: `${namePrefix}${basename(file, '.json')}`, config })
  }
  return definitions
}

async function rest(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    signal: AbortSignal.timeout(60_000),
  })
  const text = await response.text()
  let body: unknown = text
  try {
    body = text === '' ? undefined : JSON.parse(text)
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body }
}

function message(body: unknown): string {
  if (body !== null && typeof body === 'object' && 'message' in body) return String(body.message)
  return typeof body === 'string' ? body.slice(0, 500) : (JSON.stringify(body)?.slice(0, 500) ?? '')
}

/** The state of one connector and its tasks (undefined when Connect does not know it). */
export async function connectorState(url: string, name: string): Promise<ConnectorState | undefined> {
  const { status, body } = await rest(`${url}/connectors/${encodeURIComponent(name)}/status`)
  if (status === 404) return undefined
  if (status !== 200) throw deployError(`status of ${name}: HTTP ${status} ${message(body)}`)
  const b = body as { name: string; connector: { state: string; trace?: string }; tasks: ConnectorState['tasks'] }
  return {
    name: b.name,
    state: b.connector.state,
    tasks: b.tasks,
    ...(b.connector.trace === undefined ? {} : { trace: b.connector.trace }),
  }
}

/** Every connector of the worker with its state. */
export async function connectorStates(url: string): Promise<ConnectorState[]> {
  const { status, body } = await rest(`${url}/connectors`)
  if (status !== 200) throw deployError(`listing connectors: HTTP ${status} ${message(body)}`)
  const states: ConnectorState[] = []
  for (const name of (body as string[]).sort()) {
    const state = await connectorState(url, name)
    if (state) states.push(state)
  }
  return states
}

export async function deployConnectors(options: DeployConnectorsOptions): Promise<DeployedConnector[]> {
  const prefix = options.namePrefix ?? ''
  const definitions = (await loadConnectorDefinitions(options.variables, options.dir, prefix)).filter(
    (d) => options.only === undefined || options.only.includes(d.name.slice(prefix.length)),
  )
  const created = new Map<string, boolean>()
  for (const { name, config } of definitions) {
    const { status, body } = await rest(`${options.url}/connectors/${encodeURIComponent(name)}/config`, {
      method: 'PUT',
      body: JSON.stringify(config),
    })
    if (status !== 200 && status !== 201) throw deployError(`${name}: HTTP ${status} ${message(body)}`)
    created.set(name, status === 201)
  }
  const deadline = Date.now() + (options.timeoutMs ?? 120_000)
  const results: DeployedConnector[] = []
  for (const { name } of definitions) {
    for (;;) {
      const state = await connectorState(options.url, name)
      const failedTask = state?.tasks.find((t) => t.state === 'FAILED')
      if (state?.state === 'FAILED' || failedTask) {
        const trace = (failedTask?.trace ?? state?.trace ?? '').split('\n')[0]
        throw deployError(`${name} failed: ${trace}`)
      }
      if (state?.state === 'RUNNING' && state.tasks.length > 0 && state.tasks.every((t) => t.state === 'RUNNING')) {
        results.push({ name, created: created.get(name) ?? false, state: state.state, tasks: state.tasks.length })
        break
      }
      if (Date.now() > deadline)
        throw deployError(`${name} is ${state?.state ?? 'unknown'}, not RUNNING, after the wait`)
      await sleep(500)
    }
  }
  return results
}
