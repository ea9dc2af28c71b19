import { randomUUID } from 'node:crypto'
import type { ProducerRecord } from '@isobar/core'
import { parseAlertCommand, type AlertCommand } from '../commands.ts'
import { alertKey, type AlertEvent } from '../events.ts'
import { TopicNames } from '@isobar/schemas'

/*
 * JSON for now: when the registry serde (packages/core/src/serde) is wired in, only these functions change.
 */

export const DEFAULT_ALERTS_TOPIC = TopicNames.SENSORS_ALERTS
export const DEFAULT_COMMANDS_TOPIC = TopicNames.SENSORS_ALERT_COMMANDS

export function encodeAlertEvent(event: AlertEvent): Buffer {
  return Buffer.from(JSON.stringify(event))
}

/** Undefined for anything that is not an alert event (a tombstone, foreign data). */
export function decodeAlertEvent(value: Buffer | null): AlertEvent | undefined {
  if (!value) return undefined
  try {
    // Plain JSON, or the registry wire format (magic byte 0 and a 4-byte schema id before the same JSON).
    const json = value.length > 5 && value[0] === 0 ? value.subarray(5) : value
    const parsed = JSON.parse(json.toString('utf8')) as Partial<AlertEvent> | null
    if (typeof parsed?.ruleId !== 'string' || typeof parsed.entityId !== 'string') return undefined
    if (parsed.state !== 'firing' && parsed.state !== 'resolved') return undefined
    return parsed as AlertEvent
  } catch {
    return undefined
  }
}

export function alertEventRecord(
  topic: string,
  event: AlertEvent,
  encode: (event: AlertEvent) => Buffer = encodeAlertEvent,
): ProducerRecord {
  return { topic, key: Buffer.from(alertKey(event.ruleId, event.entityId)), value: encode(event) }
}

export function encodeAlertCommand(command: AlertCommand): Buffer {
  return Buffer.from(JSON.stringify(command))
}

/** Throws AlertCommandError (or SyntaxError) for a malformed command. */
export function decodeAlertCommand(value: Buffer | null): AlertCommand {
  return parseAlertCommand(JSON.parse(value?.toString('utf8') ?? 'null'))
}

/** Commands are keyed by ruleId, so one rule's commands stay in order. */
export function alertCommandRecord(topic: string, command: AlertCommand): ProducerRecord {
  return { topic, key: Buffer.from(command.ruleId), value: encodeAlertCommand(command) }
}

export type NewAlertCommand = Omit<AlertCommand, 'commandId' | 'issuedAtMs'> & { issuedAtMs?: number }

/** Fills in a fresh commandId and the issue time, and validates. */
export function createAlertCommand(input: NewAlertCommand, now: number = Date.now()): AlertCommand {
  return parseAlertCommand({ commandId: randomUUID(), issuedAtMs: now, ...input })
}
