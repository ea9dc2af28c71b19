import { UsageError } from './errors.ts'

/** A command's arguments as program.ts parsed them from its declaration: option values by long name, positionals. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>
  positionals: string[]
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name]
  return typeof value === 'string' ? value : undefined
}

export function listOption(args: ParsedArgs, name: string): string[] {
  const value = args.values[name]
  if (Array.isArray(value)) return value
  return typeof value === 'string' ? [value] : []
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true
}

/**
 * An integer option >= min, or the default; anything else is a usage error naming the option. Decimal digits only:
 * no coercion of "0x10", "1e3", " 5" or "" the way Number() would.
 */
export function intOption(args: ParsedArgs, command: string, name: string, fallback: number, min = 1): number {
  const raw = stringOption(args, name)
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${command}: --${name} must be an integer >= ${min}, got "${raw}"`)
  }
  return value
}

/** Parses repeated `key=value` options (e.g. --config retention.ms=1000). */
export function keyValueOptions(args: ParsedArgs, command: string, name: string): Record<string, string> {
  const result: Record<string, string> = {}
  for (const item of listOption(args, name)) {
    const eq = item.indexOf('=')
    if (eq <= 0) throw new UsageError(`${command}: --${name} expects key=value, got "${item}"`)
    result[item.slice(0, eq)] = item.slice(eq + 1)
  }
  return result
}

export function requirePositional(args: ParsedArgs, command: string, index: number, what: string): string {
  const value = args.positionals[index]
  if (value === undefined || value === '')
    throw new UsageError(`${command}: missing ${what}`, `usage: isobar ${command} --help`)
  return value
}
