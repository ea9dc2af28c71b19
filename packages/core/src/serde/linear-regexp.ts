/**
 * JSON Schema `pattern` / `patternProperties` matched in linear time (RE2 semantics, via re2js). Schemas come from
 * whoever can register one and values from whoever can produce one: a backtracking engine would let a pattern
 * such as `^(a+)+$` and a 30-character value stall a consumer (a poison schema) or the registry's compatibility
 * check for minutes. The price: lookaround and backreferences are refused when a schema is compiled (a clear
 * error naming the pattern), never met as a hang at run time.
 */
import { RE2JS } from 're2js'

export interface PatternMatcher {
  /** True when the pattern matches anywhere in `text` (ECMAScript `RegExp.prototype.test` semantics). */
  test(text: string): boolean
  /** `/pattern/flags`: distinct per pattern, like a RegExp's. */
  toString(): string
}

const MEMO_MAX_LENGTH = 256
const MEMO_MAX_ENTRIES = 16_384

/** Why `pattern` cannot be used, or undefined when it compiles. */
export function linearPatternProblem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern)
    return undefined
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return `pattern ${JSON.stringify(pattern.slice(0, 100))} is not supported: ${reason} (patterns are matched in linear time; lookaround and backreferences are not available)`
  }
}

/** Compiles `pattern` (flags: `i` is honoured, `u` is implied); throws an Error naming the pattern when unsupported. */
export function linearRegExp(pattern: string, flags = ''): PatternMatcher {
  let compiled: RE2JS
  try {
    compiled = RE2JS.compile(pattern, flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0)
  } catch {
    throw new Error(linearPatternProblem(pattern) ?? `pattern ${JSON.stringify(pattern.slice(0, 100))} is invalid`)
  }
  // Ajv keys its compiled patterns by toString(): it must differ per pattern, as a RegExp's does.
  const source = `/${pattern}/${flags}`
  // Telemetry repeats the same identifiers (sensor, site, zone ids) in every record, and the linear engine costs
  // ~1.7 µs a test against ~0.1 µs for a RegExp: remember recent verdicts for short strings (bounded).
  let verdicts = new Map<string, boolean>()
  const test = (text: string): boolean => {
    if (text.length > MEMO_MAX_LENGTH) return compiled.test(text)
    const known = verdicts.get(text)
    if (known !== undefined) return known
    const verdict = compiled.test(text)
    if (verdicts.size >= MEMO_MAX_ENTRIES) verdicts = new Map()
    verdicts.set(text, verdict)
    return verdict
  }
  return { test, toString: () => source }
}

/** The engine Ajv's `code.regExp` option takes. */
export const ajvLinearRegExp = Object.assign((pattern: string, flags: string) => linearRegExp(pattern, flags), {
  code: 'linearRegExp',
})
