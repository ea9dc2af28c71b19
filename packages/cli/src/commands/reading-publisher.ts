/**
 * The producing side shared by `simulate sensors` and `simulate replay`: which format readings go out in (the
 * registry's wire format when a registry URL is known, else plain JSON), a check that the topic exists, and a
 * batching producer with the context's settings.
 */
import { BatchingProducer, SchemaRegistryClient, type Producer } from '@isobar/core'
import { isReadingFormat, jsonReadingEncoding, registryReadingEncoding, type ReadingEncoding } from '@isobar/simulator'
import { stringOption, type ParsedArgs } from '../args.ts'
import type { OptionDecls } from '../command.ts'
import type { CliContext } from '../context.ts'
import { UsageError } from '../errors.ts'
import { mqttReadingProducer } from './mqtt-sink.ts'

/** The options openReadingPublisher reads, declared once for every command that publishes readings. */
export const READING_PUBLISHER_OPTIONS: OptionDecls = {
  'registry-url': {
    type: 'string',
    value: 'URL',
    description: 'Schema Registry',
    default: 'SCHEMA_REGISTRY_URL if set',
  },
  format: {
    type: 'string',
    value: 'F',
    description:
      'registry (wire format) or json (plain JSON); default registry when a registry URL is known (--registry-url or SCHEMA_REGISTRY_URL), else json',
  },
}

export interface ReadingPublisher {
  format: 'registry' | 'json'
  /** The registry the readings' schema is registered in (registry format only). */
  registryUrl: string | undefined
  encoding: ReadingEncoding
  producer: Producer
  batching: BatchingProducer
}

/**
 * `--transport mqtt`: readings go as plain JSON to the home's Mosquitto (--mqtt-url, default the running one),
 * one device connection per sensor, at QoS 1; the ingest bridge validates, frames and produces them.
 */
export function openMqttReadingPublisher(ctx: CliContext, url: string): ReadingPublisher {
  const config = ctx.kafkaConfig()
  const producer = mqttReadingProducer({ url, homeDir: ctx.homeDir })
  const batching = new BatchingProducer(producer, { ...config.batch, maxInFlight: config.maxInFlight })
  return { format: 'json', registryUrl: undefined, encoding: jsonReadingEncoding, producer, batching }
}

export async function openReadingPublisher(
  ctx: CliContext,
  args: ParsedArgs,
  commandName: string,
  topic: string,
): Promise<ReadingPublisher> {
  // A registry URL is "known" when given here or in the environment (the context's default alone is not).
  const knownRegistryUrl =
    stringOption(args, 'registry-url') ?? (ctx.env.SCHEMA_REGISTRY_URL ? ctx.registryUrl : undefined)
  const format = stringOption(args, 'format') ?? (knownRegistryUrl ? 'registry' : 'json')
  if (!isReadingFormat(format)) {
    throw new UsageError(`${commandName}: --format must be registry or json, got "${format}"`)
  }
  const registryUrl = format === 'registry' ? (knownRegistryUrl ?? ctx.registryUrl) : undefined

  const client = await ctx.kafka()
  const admin = client.admin()
  await admin.describeTopics([topic]).finally(() => admin.close())
  const encoding: ReadingEncoding = registryUrl
    ? await registryReadingEncoding(new SchemaRegistryClient({ url: registryUrl, timeoutMs: 5000 }), { topic })
    : jsonReadingEncoding
  const config = ctx.kafkaConfig()
  const producer = client.producer()
  const batching = new BatchingProducer(producer, { ...config.batch, maxInFlight: config.maxInFlight })
  return { format, registryUrl, encoding, producer, batching }
}
