/** Global and per-subject compatibility config and mode: reads, effective values and CONFIG/MODE writes. */
import type { CompatibilityPolicy } from '../compatibility/differences.ts'
import { parseCompatibilityLevel, type CompatibilityLevel } from '../compatibility/levels.ts'
import { errors } from '../errors.ts'
import {
  configKey,
  encodeConfigValue,
  encodeKey,
  encodeModeValue,
  modeKey,
  type ConfigValue,
} from '../store/records.ts'
import type { Replica } from './replica.ts'

export const MODES = ['READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT', 'FORWARD'] as const
export type Mode = (typeof MODES)[number]

export interface ConfigResponse {
  compatibilityLevel: string
  normalize?: boolean
  compatibilityPolicy?: string
}

function toResponse(value: ConfigValue): ConfigResponse {
  const out: ConfigResponse = { compatibilityLevel: value.compatibilityLevel }
  if (value.normalize !== undefined) out.normalize = value.normalize
  if (value.compatibilityPolicy !== undefined) out.compatibilityPolicy = value.compatibilityPolicy
  return out
}

function parseBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') throw errors.malformed(`"${field}" must be a boolean`)
  return value
}

export class Settings {
  readonly #replica: Replica
  readonly #defaultLevel: CompatibilityLevel

  constructor(replica: Replica, defaultLevel: CompatibilityLevel) {
    this.#replica = replica
    this.#defaultLevel = defaultLevel
  }

  #config(subject: string | null): ConfigValue | undefined {
    return this.#replica.state.config(subject)?.value
  }

  #effectiveConfig(subject: string): ConfigValue {
    const global = this.#config(null)
    const own = this.#config(subject)
    return { compatibilityLevel: this.#defaultLevel, ...global, ...own }
  }

  effectiveLevel(subject: string): CompatibilityLevel {
    return parseCompatibilityLevel(this.#effectiveConfig(subject).compatibilityLevel) ?? this.#defaultLevel
  }

  effectivePolicy(subject: string): CompatibilityPolicy {
    return this.#effectiveConfig(subject).compatibilityPolicy?.toUpperCase() === 'LENIENT' ? 'LENIENT' : 'STRICT'
  }

  effectiveNormalize(subject: string): boolean {
    return this.#effectiveConfig(subject).normalize === true
  }

  effectiveMode(subject: string): Mode {
    const mode = this.#replica.state.mode(subject)?.value ?? this.#replica.state.mode(null)?.value ?? 'READWRITE'
    return (MODES as readonly string[]).includes(mode) ? (mode as Mode) : 'READWRITE'
  }

  /** `GET /config[/{subject}]`: a subject without its own config is 40408 unless `defaultToGlobal`. */
  getConfig(subject: string | null, defaultToGlobal = false): ConfigResponse {
    if (subject === null) return toResponse({ compatibilityLevel: this.#defaultLevel, ...this.#config(null) })
    const own = this.#config(subject)
    if (own) return toResponse(own)
    if (defaultToGlobal) return this.getConfig(null)
    throw errors.subjectConfigNotFound(subject)
  }

  /** `PUT /config[/{subject}]` body `{"compatibility": "FULL", ...}`; a partial update merges. */
  async setConfig(subject: string | null, body: unknown): Promise<Record<string, unknown>> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw errors.malformed('The request body must be a JSON object')
    }
    const raw = body as Record<string, unknown>
    const requested = raw.compatibility ?? raw.compatibilityLevel
    const level = requested === undefined || requested === null ? undefined : parseCompatibilityLevel(requested)
    if (requested !== undefined && requested !== null && level === undefined) throw errors.invalidCompatibilityLevel()
    const normalize = parseBoolean(raw.normalize, 'normalize')
    const policyRaw = raw.compatibilityPolicy
    let policy: string | undefined
    if (policyRaw !== undefined && policyRaw !== null) {
      policy = typeof policyRaw === 'string' ? policyRaw.toUpperCase() : ''
      if (policy !== 'STRICT' && policy !== 'LENIENT')
        throw errors.malformed('"compatibilityPolicy" must be STRICT or LENIENT')
    }
    return this.#replica.exclusive(async () => {
      await this.#replica.catchUp()
      const current = this.#config(subject)
      const next: ConfigValue = {
        compatibilityLevel: level ?? current?.compatibilityLevel ?? this.getConfig(null).compatibilityLevel,
      }
      const n = normalize ?? current?.normalize
      if (n !== undefined) next.normalize = n
      const p = policy ?? current?.compatibilityPolicy
      if (p !== undefined) next.compatibilityPolicy = p
      await this.#replica.write(encodeKey(configKey(subject)), encodeConfigValue(subject, next))
      const { compatibilityLevel, ...rest } = next
      return { compatibility: compatibilityLevel, ...rest }
    })
  }

  /** `DELETE /config[/{subject}]`: returns the removed config (global: resets to the default). */
  async deleteConfig(subject: string | null): Promise<ConfigResponse> {
    return this.#replica.exclusive(async () => {
      await this.#replica.catchUp()
      const current = this.#replica.state.config(subject)
      if (!current) {
        if (subject === null) return this.getConfig(null)
        throw errors.subjectNotFound(subject)
      }
      await this.#replica.write(current.rawKey, null)
      return toResponse(current.value)
    })
  }

  getMode(subject: string | null, defaultToGlobal = false): { mode: string } {
    if (subject === null) return { mode: this.#replica.state.mode(null)?.value ?? 'READWRITE' }
    const own = this.#replica.state.mode(subject)
    if (own) return { mode: own.value }
    if (defaultToGlobal) return this.getMode(null)
    throw errors.subjectModeNotFound(subject)
  }

  async setMode(subject: string | null, body: unknown, force = false): Promise<{ mode: string }> {
    const raw = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).mode : undefined
    const mode = typeof raw === 'string' ? raw.toUpperCase() : ''
    if (!(MODES as readonly string[]).includes(mode)) throw errors.invalidMode()
    if (mode === 'FORWARD' && subject !== null) throw errors.invalidMode()
    return this.#replica.exclusive(async () => {
      await this.#replica.catchUp()
      if (mode === 'IMPORT' && !force) {
        const live = subject === null ? this.#replica.state.subjects(false) : this.#replica.state.liveVersions(subject)
        if (live.length > 0) throw errors.notPermitted('Cannot import since found existing subjects')
      }
      await this.#replica.write(encodeKey(modeKey(subject)), encodeModeValue(subject, mode))
      return { mode }
    })
  }

  async deleteMode(subject: string): Promise<{ mode: string }> {
    return this.#replica.exclusive(async () => {
      await this.#replica.catchUp()
      const current = this.#replica.state.mode(subject)
      if (!current) throw errors.subjectModeNotFound(subject)
      await this.#replica.write(current.rawKey, null)
      return { mode: current.value }
    })
  }
}
