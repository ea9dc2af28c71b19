import { readFile } from 'node:fs/promises'
import { mapRows, parseCsv, parseMapping, runReplay } from '@isobar/simulator'
import { flag, stringOption } from '../args.ts'
import type { Command } from '../command.ts'
import { writeJson, writeLine } from '../context.ts'
import { UsageError } from '../errors.ts'
import { openReadingPublisher, READING_PUBLISHER_OPTIONS } from './reading-publisher.ts'
import { TopicNames } from '@isobar/schemas'

const NAME = 'simulate replay'

/** A mapping option: inline JSON (starts with `{`) or a file holding it. */
export async function readMapping(command: string, value: string): Promise<string> {
  if (value.trimStart().startsWith('{')) return value
  try {
    return await readFile(value, 'utf8')
  } catch (error) {
    throw new UsageError(`${command}: cannot read --mapping ${value}: ${(error as NodeJS.ErrnoException).code}`)
  }
}

export const replay: Command = {
  name: 'replay',
  summary: 'Replay a CSV file of real sensor readings into sensors.readings, event times preserved',
  options: {
    file: { type: 'string', short: 'f', value: 'F', description: 'the CSV file (required)' },
    mapping: { type: 'string', short: 'm', value: 'M', description: 'mapping JSON, inline or a file (required)' },
    speed: { type: 'string', value: 'N|max', description: 'multiple of real time, or max', default: 'max' },
    topic: {
      type: 'string',
      short: 't',
      value: 'T',
      description: 'target topic',
      default: TopicNames.SENSORS_READINGS,
    },
    ...READING_PUBLISHER_OPTIONS,
    json: { type: 'boolean', description: 'print the summary as JSON' },
  },
  notes: [
    'Reads the CSV (header row, RFC 4180 quoting), maps each row to a SensorReading with the mapping, sorts by',
    'event time and publishes keyed by sensor id, at N× the pace of the event times or as fast as possible. Event',
    "times are the file's (or start + sequence × interval for files without timestamps); a label column, if",
    'mapped, travels in the isobar.label header. The analytics work in event time, so windows are the same',
    'whatever the speed (as long as idleMs exceeds the longest gap in the file divided by the speed).',
    '',
    'Replaying history into a topic that live sensors also write makes the replay late: stream time per partition',
    'is the newest event time seen. Replay into a separate topic and run the analytics on it with their own',
    'application id (ANALYTICS_APP_ID, ANALYTICS_CONFIG topics.readings): see docs/anomalies.md.',
    '',
    'Mapping (JSON): {"sensorId": "mote:{mote_id}",',
    '                 "time": {"column": "ts", "format": "iso|epoch-ms|epoch-s"}',
    '                      or {"sequence": "reading", "intervalMs": 5000, "start": "2010-05-09T00:00:00Z"},',
    '                 "fields": {"temperatureC": "temperature", "relativeHumidityPct": "humidity"},',
    '                 "zoneId": "...", "siteId": "...", "sensorType": "...", "label": "label"}',
  ].join('\n'),
  async run(args, ctx) {
    const file = stringOption(args, 'file')
    if (file === undefined) throw new UsageError(`${NAME}: --file is required`)
    const mappingOption = stringOption(args, 'mapping')
    if (mappingOption === undefined) throw new UsageError(`${NAME}: --mapping is required`)
    const speedText = stringOption(args, 'speed') ?? 'max'
    const speed = speedText === 'max' ? Number.POSITIVE_INFINITY : Number(speedText)
    if (!(speed > 0)) throw new UsageError(`${NAME}: --speed must be a positive number or "max", got "${speedText}"`)
    const topic = stringOption(args, 'topic') ?? TopicNames.SENSORS_READINGS
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      throw new UsageError(`${NAME}: cannot read --file ${file}: ${(error as NodeJS.ErrnoException).code}`)
    }
    const table = parseCsv(text, file)
    const mapping = parseMapping(await readMapping(NAME, mappingOption), table.header)
    const rows = mapRows(table.header, table.rows, mapping)
    const { format, encoding, producer, batching } = await openReadingPublisher(ctx, args, NAME, topic)
    const abort = new AbortController()
    const stop = (): void => abort.abort()
    process.once('SIGINT', stop)
    let summary
    try {
      summary = await runReplay({
        rows,
        producer: batching,
        topic,
        encode: encoding.encode,
        speed,
        signal: abort.signal,
        onProgress: (p) => {
          if (ctx.interactive && !flag(args, 'json')) {
            ctx.stderr.write(`\rsent ${p.sent}/${rows.length}  acked ${p.acked}  failed ${p.failed}   `)
          }
        },
      })
    } finally {
      process.removeListener('SIGINT', stop)
      await producer.close()
    }
    if (ctx.interactive && !flag(args, 'json')) ctx.stderr.write('\n')
    const result = { ...summary, rows: rows.length, speed: speedText, format }
    if (flag(args, 'json')) writeJson(ctx.stdout, result)
    else {
      const span =
        summary.firstEventMs === undefined
          ? 'no rows'
          : `${new Date(summary.firstEventMs).toISOString()} … ${new Date(summary.lastEventMs!).toISOString()}`
      writeLine(
        ctx.stdout,
        `Replayed ${summary.sent} of ${rows.length} rows from ${summary.sensors} sensors to ${topic} in ` +
          `${summary.seconds} s (event time ${span}): ${summary.acked} acked, ${summary.failed} failed, ` +
          `${summary.invalid} invalid`,
      )
      for (const e of summary.errors) writeLine(ctx.stderr, `  error: ${e}`)
    }
    return summary.failed > 0 || summary.invalid > 0 ? 1 : 0
  },
}
