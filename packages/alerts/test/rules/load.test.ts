import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import {
  AlertsErrorCodes,
  loadRulesFile,
  parseDuration,
  parseRules,
  parseRulesText,
  RuleConfigError,
} from '@isobar/alerts'

const YAML_RULES = `
defaults:
  severity: info
  flapping: { window: 10m, maxTransitions: 6 }
rules:
  - id: gust-high
    type: threshold
    metric: windGustMps
    above: 20
    clear: 17
    for: 2m
    clearFor: 5m
    severity: critical
  - id: pressure-falling
    type: rate-of-change
    metric: pressurePa
    direction: drop
    by: 300
    within: 3h
  - id: silent-sensor
    type: stale
    after: 15m
  - id: flat-line
    type: stuck
    metric: temperatureC
    within: 1h
`

test('rules: a YAML file loads with defaults and durations in ms; JSON too', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'isobar-rules-'))
  await writeFile(join(dir, 'rules.yaml'), YAML_RULES)
  const rules = await loadRulesFile(join(dir, 'rules.yaml'))
  assert.deepEqual(
    rules.map((r) => [r.id, r.type, r.severity, r.forMs, r.clearForMs, r.flapping?.maxTransitions]),
    [
      ['gust-high', 'threshold', 'critical', 120_000, 300_000, 6],
      ['pressure-falling', 'rate-of-change', 'info', 0, 0, 6],
      ['silent-sensor', 'stale', 'info', 0, 0, 6],
      ['flat-line', 'stuck', 'info', 0, 0, 6],
    ],
  )
  assert.deepEqual(rules[0], { ...rules[0], direction: 'above', threshold: 20, clear: 17 })
  const [, rate, , stuck] = rules
  assert.equal(rate?.type === 'rate-of-change' && rate.withinMs, 3 * 3_600_000)
  assert.equal(stuck?.type === 'stuck' && stuck.minSamples, 3)
  await writeFile(join(dir, 'rules.json'), JSON.stringify({ rules: [{ id: 'x', type: 'stale', after: 60000 }] }))
  assert.equal((await loadRulesFile(join(dir, 'rules.json')))[0]!.type, 'stale')
})

const bad: Array<[name: string, rules: unknown, ruleId: string | undefined, field: string, problem: RegExp]> = [
  ['missing metric', [{ id: 'r1', type: 'threshold', above: 1 }], 'r1', 'metric', /is required/],
  ['neither above nor below', [{ id: 'r2', type: 'threshold', metric: 'x' }], 'r2', 'above|below', /exactly one/],
  [
    'both above and below',
    [{ id: 'r3', type: 'threshold', metric: 'x', above: 1, below: 0 }],
    'r3',
    'above|below',
    /exactly one/,
  ],
  [
    'clear on the wrong side',
    [{ id: 'r4', type: 'threshold', metric: 'x', above: 20, clear: 25 }],
    'r4',
    'clear',
    /<= above/,
  ],
  ['bad duration', [{ id: 'r5', type: 'threshold', metric: 'x', above: 1, for: '2 minutes' }], 'r5', 'for', /duration/],
  ['unknown field', [{ id: 'r6', type: 'stale', after: '1m', treshold: 3 }], 'r6', 'treshold', /not a known field/],
  ['unknown type', [{ id: 'r7', type: 'median' }], 'r7', 'type', /must be one of/],
  ['bad severity', [{ id: 'r8', type: 'stale', after: '1m', severity: 'high' }], 'r8', 'severity', /must be one of/],
  [
    'rate without window',
    [{ id: 'r9', type: 'rate-of-change', metric: 'x', direction: 'drop', by: 3 }],
    'r9',
    'within',
    /required/,
  ],
  [
    'negative change',
    [{ id: 'r10', type: 'rate-of-change', metric: 'x', direction: 'drop', by: -3, within: '1h' }],
    'r10',
    'by',
    /must be > 0/,
  ],
  ['bad id', [{ id: 'Has Spaces', type: 'stale', after: '1m' }], 'Has Spaces', 'id', /must match pattern/],
  ['missing id', [{ type: 'stale', after: '1m' }], '#0', 'id', /is required/],
  [
    'duplicate id',
    [
      { id: 'a', type: 'stale', after: '1m' },
      { id: 'a', type: 'stale', after: '2m' },
    ],
    'a',
    'id',
    /another rule/,
  ],
  [
    'bad regex',
    [{ id: 'r11', type: 'stale', after: '1m', entityPattern: '(' }],
    'r11',
    'entityPattern',
    /regular expression/,
  ],
  [
    'flapping clear >= max',
    [{ id: 'r12', type: 'stale', after: '1m', flapping: { window: '1m', maxTransitions: 3, clearTransitions: 3 } }],
    'r12',
    'flapping.clearTransitions',
    /below/,
  ],
  ['no rules array', undefined, undefined, 'rules', /is required/],
]

for (const [name, rules, ruleId, field, problem] of bad) {
  test(`rules: refused at load with the rule and field named: ${name}`, () => {
    const document = rules === undefined ? {} : { rules }
    assert.throws(
      () => parseRules(document, 'rules.yaml'),
      (error: unknown) => {
        assert.ok(error instanceof RuleConfigError, String(error))
        assert.equal(error.code, AlertsErrorCodes.RULES_INVALID)
        assert.equal(error.ruleId, ruleId)
        assert.equal(error.field, field)
        assert.match(error.message, problem)
        assert.match(error.message, /in rules\.yaml/)
        if (ruleId) assert.ok(error.message.includes(`rule "${ruleId}"`), error.message)
        return true
      },
    )
  })
}

test('rules: unparsable text and missing files are refused with their own code', async () => {
  assert.throws(() => parseRulesText('rules: [', 'yaml'), { code: AlertsErrorCodes.RULES_UNREADABLE })
  await assert.rejects(loadRulesFile('/nonexistent/rules.yaml'), { code: AlertsErrorCodes.RULES_UNREADABLE })
})

test('durations: units, compound forms, and refusals', () => {
  const table: Array<[string | number, number]> = [
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['1d', 86_400_000],
    ['250', 250],
    [42, 42],
  ]
  for (const [text, ms] of table) assert.equal(parseDuration(text), ms, String(text))
  for (const text of ['', '2 minutes', 'm', '5x', '-1s'])
    assert.throws(() => parseDuration(text), { code: AlertsErrorCodes.DURATION_INVALID })
})
