import { readdirSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import type { Hardware } from './types.ts'

/** What the figures were measured on; printed with every result because numbers mean nothing without it. */
export function describeHardware(libDir: string): Hardware {
  const list = cpus()
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    kafkaVersion: kafkaVersionOf(libDir),
  }
}

/** The version of the kafka-clients jar the Java tools run with (the broker may differ). */
export function kafkaVersionOf(libDir: string): string {
  try {
    for (const file of readdirSync(libDir)) {
      const m = /^kafka-clients-(\d[^/]*)\.jar$/.exec(file)
      if (m) return m[1]!
    }
  } catch {
    // fall through: an unreadable lib dir fails later with a clearer error from the tool itself
  }
  return 'unknown'
}
