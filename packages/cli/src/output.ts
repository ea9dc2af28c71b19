import type { Writable } from 'node:stream'

export function writeLine(stream: Writable, line: string): void {
  stream.write(`${line}\n`)
}

export function writeJson(stream: Writable, value: unknown): void {
  stream.write(`${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`)
}
