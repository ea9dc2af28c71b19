import { Ajv } from 'ajv'
import { AlertCommandError } from './errors.ts'

/**
 * An operator action, published on `sensors.alert-commands` keyed by ruleId (alert-command schema v1;
 * `entityId` is the proposed v2 addition: it targets one entity of the rule).
 */
export interface AlertCommand {
  commandId: string
  action: 'acknowledge' | 'silence' | 'unsilence'
  ruleId: string
  /** The entity; absent on silence/unsilence = every entity of the rule. */
  entityId?: string
  /** Ack of one episode: ignored when the open alert has another id (it resolved and fired again). */
  alertId?: string
  silenceUntilMs?: number
  issuedBy: string
  issuedAtMs: number
}

const commandSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['commandId', 'action', 'ruleId', 'issuedBy', 'issuedAtMs'],
  properties: {
    commandId: { type: 'string', minLength: 1, maxLength: 128 },
    action: { enum: ['acknowledge', 'silence', 'unsilence'] },
    ruleId: { type: 'string', minLength: 1, maxLength: 128 },
    entityId: { type: 'string', minLength: 1, maxLength: 128 },
    alertId: { type: 'string', minLength: 1, maxLength: 128 },
    silenceUntilMs: { type: 'integer', minimum: 0 },
    issuedBy: { type: 'string', minLength: 1, maxLength: 128 },
    issuedAtMs: { type: 'integer', minimum: 0 },
  },
  allOf: [
    { if: { properties: { action: { const: 'silence' } } }, then: { required: ['silenceUntilMs'] } },
    {
      if: { properties: { action: { const: 'acknowledge' } } },
      then: { anyOf: [{ required: ['entityId'] }, { required: ['alertId'] }] },
    },
  ],
} as const

const validate = new Ajv({ allErrors: false }).compile(commandSchema)

/** Validates a decoded command; AlertCommandError says what is wrong. */
export function parseAlertCommand(value: unknown): AlertCommand {
  if (!validate(value)) {
    const e = validate.errors?.[0]
    const missing = (e?.params as { missingProperty?: string } | undefined)?.missingProperty
    const field = missing ?? e?.instancePath.slice(1) ?? '(root)'
    throw new AlertCommandError(`${field || '(root)'} ${missing ? 'is required' : (e?.message ?? 'is invalid')}`)
  }
  return value
}

export interface Silence {
  commandId: string
  ruleId: string
  entityId: string | undefined
  untilMs: number
  by: string
}

/** Timed mutes by rule (and optionally entity). Expired ones are dropped lazily. */
export class SilenceList {
  #silences: Silence[] = []

  add(silence: Silence): void {
    this.#silences.push(silence)
  }

  /** Removes the silences of this rule (and entity, when given); returns how many. */
  remove(ruleId: string, entityId: string | undefined): number {
    const before = this.#silences.length
    this.#silences = this.#silences.filter(
      (s) => !(s.ruleId === ruleId && (entityId === undefined || s.entityId === entityId)),
    )
    return before - this.#silences.length
  }

  /** The latest expiry among silences covering this alert at `now`, or undefined. */
  activeUntil(ruleId: string, entityId: string, now: number): number | undefined {
    let until: number | undefined
    this.#silences = this.#silences.filter((s) => s.untilMs > now)
    for (const s of this.#silences) {
      if (s.ruleId === ruleId && (s.entityId === undefined || s.entityId === entityId)) {
        until = Math.max(until ?? 0, s.untilMs)
      }
    }
    return until
  }

  list(now: number): Silence[] {
    return this.#silences.filter((s) => s.untilMs > now)
  }
}
