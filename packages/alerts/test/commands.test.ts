import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  AlertsErrorCodes,
  createAlertCommand,
  decodeAlertCommand,
  encodeAlertCommand,
  parseAlertCommand,
} from '@isobar/alerts'

test('commands: created with an id and time, encoded and decoded unchanged', () => {
  const command = createAlertCommand(
    { action: 'silence', ruleId: 'gust-high', silenceUntilMs: 5000, issuedBy: 'ops' },
    1000,
  )
  assert.equal(command.issuedAtMs, 1000)
  assert.match(command.commandId, /^[0-9a-f-]{36}$/)
  assert.deepEqual(decodeAlertCommand(encodeAlertCommand(command)), command)
})

const invalid: Array<[string, unknown, RegExp]> = [
  ['silence without an end', { action: 'silence' }, /silenceUntilMs is required/],
  ['ack without a target', { action: 'acknowledge' }, /entityId is required/],
  ['unknown action', { action: 'delete' }, /action must be equal to one of/],
  ['unknown field', { action: 'unsilence', extra: 1 }, /must NOT have additional properties/],
]

for (const [name, fields, message] of invalid) {
  test(`commands: refused: ${name}`, () => {
    const base = { commandId: 'c1', ruleId: 'r', issuedBy: 'ops', issuedAtMs: 0 }
    assert.throws(
      () => parseAlertCommand({ ...base, ...(fields as object) }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, AlertsErrorCodes.COMMAND_INVALID)
        assert.match(error.message, message)
        return true
      },
    )
  })
}
