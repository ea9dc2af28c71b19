import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { parse as parseYaml } from 'yaml'
import { DEFAULT_DETECTOR_PARAMS } from '../anomaly/detector.ts'
import { parseDuration } from '../duration.ts'
import { RuleConfigError, RulesUnreadableError } from '../errors.ts'
import { ruleSchemas, rulesFileSchema } from './schema.ts'
import type { AlertRule, FlappingPolicy, Severity } from './types.ts'

const ajv = new Ajv({ allErrors: false, allowUnionTypes: true })
const validateFile = ajv.compile(rulesFileSchema)
const validateRule: Record<string, ValidateFunction> = Object.fromEntries(
  Object.entries(ruleSchemas).map(([type, schema]) => [type, ajv.compile(schema)]),
)

type Raw = Record<string, unknown>

/** Reads a JSON or YAML rules file (by extension; YAML is a superset, so anything else is parsed as YAML). */
export async function loadRulesFile(path: string): Promise<AlertRule[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new RulesUnreadableError(path, error)
  }
  return parseRulesText(text, extname(path).toLowerCase() === '.json' ? 'json' : 'yaml', path)
}

export function parseRulesText(text: string, format: 'json' | 'yaml', source?: string): AlertRule[] {
  let document: unknown
  try {
    document = format === 'json' ? JSON.parse(text) : parseYaml(text)
  } catch (error) {
    throw new RulesUnreadableError(source ?? `<${format}>`, error instanceof Error ? error.message : error)
  }
  return parseRules(document, source)
}

/** Validates a rules document and normalizes it. Throws RuleConfigError naming the first bad rule and field. */
export function parseRules(document: unknown, source?: string): AlertRule[] {
  if (!validateFile(document)) {
    // An error inside rules[i] names that rule (by id when it has a string one, else by position).
    const match = /^\/rules\/(\d+)(\/.*)?$/.exec(validateFile.errors?.[0]?.instancePath ?? '')
    if (match) {
      const index = Number(match[1])
      const rule = (document as { rules: Raw[] }).rules[index]
      const id = typeof rule?.id === 'string' ? rule.id : `#${index}`
      const errors = validateFile.errors!.map((e) => ({
        ...e,
        instancePath: e.instancePath.slice(match[0].length - (match[2]?.length ?? 0)),
      }))
      throw schemaError(id, errors, source)
    }
    throw schemaError(undefined, validateFile.errors, source, 'rules file')
  }
  const file = document as { defaults?: Raw; rules: Raw[] }
  const defaults = file.defaults ?? {}
  const seen = new Set<string>()
  return file.rules.map((raw) => {
    const id = raw.id as string
    if (seen.has(id)) throw new RuleConfigError(id, 'id', 'is used by another rule', source)
    seen.add(id)
    const validate = validateRule[raw.type as string]!
    if (!validate(raw)) throw schemaError(id, validate.errors, source)
    return normalize(raw, defaults, source)
  })
}

function normalize(raw: Raw, defaults: Raw, source: string | undefined): AlertRule {
  const id = raw.id as string
  const fail = (field: string, problem: string): never => {
    throw new RuleConfigError(id, field, problem, source)
  }
  const flappingRaw = (raw.flapping ?? defaults.flapping) as Raw | undefined
  let flapping: FlappingPolicy | undefined
  if (flappingRaw) {
    const maxTransitions = flappingRaw.maxTransitions as number
    const clearTransitions = (flappingRaw.clearTransitions as number | undefined) ?? Math.floor(maxTransitions / 2)
    if (clearTransitions >= maxTransitions) fail('flapping.clearTransitions', 'must be below flapping.maxTransitions')
    flapping = { windowMs: parseDuration(flappingRaw.window as string), maxTransitions, clearTransitions }
  }
  let entityPattern: RegExp | undefined
  if (raw.entityPattern !== undefined) {
    try {
      entityPattern = new RegExp(raw.entityPattern as string)
    } catch (error) {
      fail('entityPattern', `is not a valid regular expression (${(error as Error).message})`)
    }
  }
  const base = {
    id,
    severity: (raw.severity ?? defaults.severity ?? 'warning') as Severity,
    description: raw.description as string | undefined,
    forMs: parseDuration((raw.for as string | number | undefined) ?? 0),
    clearForMs: parseDuration((raw.clearFor as string | number | undefined) ?? 0),
    flapping,
    entityPattern,
  }
  const metric = raw.metric as string
  switch (raw.type) {
    case 'threshold': {
      const direction = raw.above === undefined ? 'below' : 'above'
      const threshold = (raw.above ?? raw.below) as number
      const clear = (raw.clear as number | undefined) ?? threshold
      if (direction === 'above' && clear > threshold) fail('clear', `must be <= above (${threshold})`)
      if (direction === 'below' && clear < threshold) fail('clear', `must be >= below (${threshold})`)
      return { ...base, type: 'threshold', metric, direction, threshold, clear }
    }
    case 'rate-of-change': {
      const by = raw.by as number
      const clear = (raw.clear as number | undefined) ?? by
      if (clear > by) fail('clear', `must be <= by (${by})`)
      const withinMs = parseDuration(raw.within as string)
      if (withinMs <= 0) fail('within', 'must be longer than 0')
      return {
        ...base,
        type: 'rate-of-change',
        metric,
        direction: raw.direction as 'drop' | 'rise',
        by,
        withinMs,
        clear,
      }
    }
    case 'stale': {
      const afterMs = parseDuration(raw.after as string)
      if (afterMs <= 0) fail('after', 'must be longer than 0')
      return { ...base, type: 'stale', metric: raw.metric as string | undefined, afterMs }
    }
    case 'anomaly': {
      const number = (name: string): Record<string, number> =>
        raw[name] === undefined ? {} : { [name]: raw[name] as number }
      return {
        ...base,
        type: 'anomaly',
        metric,
        detector: {
          ...DEFAULT_DETECTOR_PARAMS,
          ...number('k'),
          ...number('alpha'),
          ...number('warmup'),
          ...number('onsetReadings'),
          ...number('strongScore'),
          ...number('endScore'),
          ...number('endReadings'),
          noiseFloor: raw.noiseFloor as number,
          relearnAfterMs: parseDuration((raw.relearnAfter as string | number | undefined) ?? 0),
        },
        criticalScore: raw.criticalScore as number | undefined,
      }
    }
    default: {
      const withinMs = parseDuration(raw.within as string)
      if (withinMs <= 0) fail('within', 'must be longer than 0')
      return {
        ...base,
        type: 'stuck',
        metric,
        withinMs,
        tolerance: (raw.tolerance as number | undefined) ?? 0,
        minSamples: (raw.minSamples as number | undefined) ?? 3,
      }
    }
  }
}

function schemaError(
  ruleId: string | undefined,
  errors: ErrorObject[] | null | undefined,
  source: string | undefined,
  fallbackField = 'rule',
): RuleConfigError {
  const first = errors?.[0]
  if (!first) return new RuleConfigError(ruleId, fallbackField, 'is invalid', source)
  const path = first.instancePath.split('/').filter(Boolean)
  // Errors on a rule inside the envelope: report that rule's id when it has one.
  const params = first.params as Record<string, unknown>
  let field = path.join('.')
  let problem = first.message ?? 'is invalid'
  if (errors?.some((e) => e.schemaPath.startsWith('#/oneOf'))) {
    field = 'above|below'
    problem = 'must set exactly one of above, below'
  } else if (first.keyword === 'required') {
    field = [...path, params.missingProperty as string].join('.')
    problem = 'is required'
  } else if (first.keyword === 'additionalProperties') {
    field = [...path, params.additionalProperty as string].join('.')
    problem = 'is not a known field'
  } else if (errors?.some((e) => e.keyword === 'anyOf' && e.instancePath === first.instancePath)) {
    problem = 'must be a duration such as 500ms, 30s, 2m, 1h30m (or milliseconds)'
  } else if (first.keyword === 'enum') {
    problem = `must be one of ${(params.allowedValues as unknown[]).join(', ')}`
  }
  return new RuleConfigError(ruleId, field || fallbackField, problem, source)
}
