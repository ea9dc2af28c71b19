/** JSON Schemas of a rules file: the envelope first, then one schema per rule type (errors then name the rule). */

const duration = {
  anyOf: [
    { type: 'string', pattern: '^\\s*(\\d+|(\\d+(\\.\\d+)?(ms|s|m|h|d))+)\\s*$' },
    { type: 'number', minimum: 0 },
  ],
} as const

const flapping = {
  type: 'object',
  additionalProperties: false,
  required: ['window', 'maxTransitions'],
  properties: {
    window: duration,
    maxTransitions: { type: 'integer', minimum: 2 },
    clearTransitions: { type: 'integer', minimum: 0 },
  },
} as const

const common = {
  id: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,127}$' },
  severity: { enum: ['info', 'warning', 'critical'] },
  description: { type: 'string', maxLength: 1000 },
  for: duration,
  clearFor: duration,
  flapping,
  entityPattern: { type: 'string', minLength: 1 },
  metric: { type: 'string', minLength: 1 },
} as const

function ruleSchema(type: string, properties: Record<string, unknown>, required: string[]): object {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'type', ...required],
    properties: { ...common, type: { const: type }, ...properties },
  }
}

export const rulesFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['rules'],
  properties: {
    defaults: {
      type: 'object',
      additionalProperties: false,
      properties: { severity: common.severity, flapping },
    },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'type'],
        properties: {
          id: common.id,
          type: { enum: ['threshold', 'rate-of-change', 'stale', 'stuck', 'anomaly'] },
        },
      },
    },
  },
} as const

export const ruleSchemas: Record<string, object> = {
  threshold: {
    ...ruleSchema('threshold', { above: { type: 'number' }, below: { type: 'number' }, clear: { type: 'number' } }, [
      'metric',
    ]),
    oneOf: [{ required: ['above'] }, { required: ['below'] }],
  },
  'rate-of-change': ruleSchema(
    'rate-of-change',
    {
      direction: { enum: ['drop', 'rise'] },
      by: { type: 'number', exclusiveMinimum: 0 },
      within: duration,
      clear: { type: 'number', minimum: 0 },
    },
    ['metric', 'direction', 'by', 'within'],
  ),
  stale: ruleSchema('stale', { after: duration }, ['after']),
  stuck: ruleSchema(
    'stuck',
    { within: duration, tolerance: { type: 'number', minimum: 0 }, minSamples: { type: 'integer', minimum: 2 } },
    ['metric', 'within'],
  ),
  anomaly: ruleSchema(
    'anomaly',
    {
      noiseFloor: { type: 'number', minimum: 0 },
      k: { type: 'number', exclusiveMinimum: 0 },
      alpha: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
      warmup: { type: 'integer', minimum: 2 },
      onsetReadings: { type: 'integer', minimum: 1 },
      strongScore: { type: 'number', minimum: 1 },
      endScore: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
      endReadings: { type: 'integer', minimum: 1 },
      relearnAfter: duration,
      criticalScore: { type: 'number', minimum: 1 },
    },
    ['metric', 'noiseFloor'],
  ),
}
