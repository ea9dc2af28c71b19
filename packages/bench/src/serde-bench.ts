/**
 * Serde micro-benchmark: CPU cost per message of validate+serialize and deserialize+validate (schemas and
 * validators cached, the steady state of a service), and the latency of schema-by-id lookups, both the
 * in-process cache hit (every message after the first) and an uncached fetch (new client, pooled connection).
 * Prints figures; asserts nothing about speed.
 */
import { JsonSerde, SchemaRegistryClient } from '@isobar/core'

export interface SerdeBenchOptions {
  registryUrl: string
  subject: string
  schema: object
  /** A valid value of the schema (its JSON size is reported). */
  sample: unknown
  /** Messages per measured loop. Default 200 000. */
  iterations?: number
  /** Uncached lookups (a fresh client each, so no in-process cache). Default 200. */
  coldLookups?: number
}

export interface LatencySummary {
  p50Us: number
  p99Us: number
  maxUs: number
}

export interface SerdeBenchResult {
  payloadBytes: number
  iterations: number
  serializeNsPerMsg: number
  deserializeNsPerMsg: number
  cachedLookup: LatencySummary
  coldLookup: LatencySummary
}

function nsPerOp(iterations: number, run: (i: number) => void): number {
  const warmup = Math.min(iterations, 20_000)
  for (let i = 0; i < warmup; i++) run(i)
  const start = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) run(i)
  return Number(process.hrtime.bigint() - start) / iterations
}

function summarise(samplesNs: number[]): LatencySummary {
  const sorted = [...samplesNs].sort((a, b) => a - b)
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) / 1000
  return { p50Us: at(0.5), p99Us: at(0.99), maxUs: (sorted.at(-1) ?? 0) / 1000 }
}

async function timedNs(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint()
  await run()
  return Number(process.hrtime.bigint() - start)
}

export async function runSerdeBench(options: SerdeBenchOptions): Promise<SerdeBenchResult> {
  const iterations = options.iterations ?? 200_000
  const client = new SchemaRegistryClient({ url: options.registryUrl })
  const serde = new JsonSerde({ registry: client })
  const { schemaId } = await serde.prepare(options.subject, options.schema)
  const frame = serde.serialize(options.subject, options.sample)
  await serde.deserialize(frame) // compiles and caches the reader side

  let sink = 0
  const serializeNsPerMsg = nsPerOp(iterations, () => {
    sink += serde.serialize(options.subject, options.sample).length
  })
  // deserialize is async (it may have to fetch a schema); measure it as services call it, awaited.
  const start = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) sink += (await serde.deserialize(frame)).schemaId
  const deserializeNsPerMsg = Number(process.hrtime.bigint() - start) / iterations

  const cached: number[] = []
  for (let i = 0; i < 10_000; i++) cached.push(await timedNs(() => client.getSchemaById(schemaId)))
  const cold: number[] = []
  for (let i = 0; i < (options.coldLookups ?? 200); i++) {
    const fresh = new SchemaRegistryClient({ url: options.registryUrl })
    cold.push(await timedNs(() => fresh.getSchemaById(schemaId)))
  }
  if (sink === 0) throw new Error('benchmark loop was optimised away')
  return {
    payloadBytes: frame.length - 5,
    iterations,
    serializeNsPerMsg,
    deserializeNsPerMsg,
    cachedLookup: summarise(cached),
    coldLookup: summarise(cold),
  }
}

export function formatSerdeBench(result: SerdeBenchResult): string {
  const us = (ns: number) => `${(ns / 1000).toFixed(2)} µs`
  const lat = (l: LatencySummary) =>
    `p50 ${l.p50Us.toFixed(2)} µs, p99 ${l.p99Us.toFixed(2)} µs, max ${l.maxUs.toFixed(1)} µs`
  return [
    `payload ${result.payloadBytes} B JSON, ${result.iterations} messages per loop`,
    `serialize (validate + JSON + frame)      ${us(result.serializeNsPerMsg)}/msg`,
    `deserialize (unframe + JSON + validate)  ${us(result.deserializeNsPerMsg)}/msg`,
    `schema by id, in-process cache hit       ${lat(result.cachedLookup)}`,
    `schema by id, uncached (HTTP keep-alive) ${lat(result.coldLookup)}`,
  ].join('\n')
}
