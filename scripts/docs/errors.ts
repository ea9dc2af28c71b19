/** docs/errors.md, generated from every package's error catalogue (code, meaning, retriable, what to do). */
import { AlertsErrorCatalogue } from '@isobar/alerts'
import { ConsoleErrorCatalogue } from '@isobar/admin-api'
import { CoreErrorCatalogue, SerdeErrorCatalogue, type ErrorCodeDoc, type IsobarErrorCode } from '@isobar/core'
import { KafkaLocalErrorCatalogue } from '@isobar/kafka-local'
import { RegistryErrorCatalogue } from '@isobar/registry'
import { SensorAnalyticsErrorCatalogue } from '@isobar/sensor-analytics'
import { StreamErrorCatalogue } from '@isobar/stream'
import { WeatherErrorCatalogue } from '@isobar/weather-streamer'
import { CliErrorCatalogue } from '../../packages/cli/src/errors.ts'
import { IngestErrorCatalogue } from '../../packages/ingest/src/errors.ts'
import { LearnErrorCatalogue } from '../../packages/learn/src/errors.ts'
import { NotifierErrorCatalogue } from '../../packages/notifier/src/errors.ts'
import { ObservabilityErrorCatalogue } from '../../packages/observability/src/errors.ts'
import { SimulatorErrorCatalogue } from '../../packages/simulator/src/errors.ts'

interface AnyCatalogue {
  readonly package: string
  readonly docs: Readonly<Record<string, ErrorCodeDoc>>
}

/** Every catalogue, in the order of the doc. */
export const ERROR_CATALOGUES: readonly AnyCatalogue[] = [
  CoreErrorCatalogue,
  SerdeErrorCatalogue,
  KafkaLocalErrorCatalogue,
  RegistryErrorCatalogue,
  StreamErrorCatalogue,
  AlertsErrorCatalogue,
  WeatherErrorCatalogue,
  SensorAnalyticsErrorCatalogue,
  SimulatorErrorCatalogue,
  IngestErrorCatalogue,
  NotifierErrorCatalogue,
  LearnErrorCatalogue,
  ObservabilityErrorCatalogue,
  ConsoleErrorCatalogue,
  CliErrorCatalogue,
]

/** Every code of the closed union, documented: a catalogue left out of the list above fails to compile here. */
export const ALL_ERROR_DOCS: { readonly [C in IsobarErrorCode]: ErrorCodeDoc } = {
  ...CoreErrorCatalogue.docs,
  ...SerdeErrorCatalogue.docs,
  ...KafkaLocalErrorCatalogue.docs,
  ...RegistryErrorCatalogue.docs,
  ...StreamErrorCatalogue.docs,
  ...AlertsErrorCatalogue.docs,
  ...WeatherErrorCatalogue.docs,
  ...SensorAnalyticsErrorCatalogue.docs,
  ...SimulatorErrorCatalogue.docs,
  ...IngestErrorCatalogue.docs,
  ...NotifierErrorCatalogue.docs,
  ...LearnErrorCatalogue.docs,
  ...ObservabilityErrorCatalogue.docs,
  ...ConsoleErrorCatalogue.docs,
  ...CliErrorCatalogue.docs,
}

const cell = (text: string): string => text.replaceAll('|', '\\|')

export function renderErrorsDoc(catalogues = ERROR_CATALOGUES): string {
  const lines = [
    '# Errors',
    '',
    '<!-- Generated from the error catalogues by `npm run docs`; a test fails when this file drifts. -->',
    '',
    'Every Isobar error is an `IsobarError` with a stable `code` (match on it, not on `instanceof`) and a',
    '`retriable` flag: whether the same operation can succeed if retried. `code` is the closed union of the codes',
    'below (`IsobarErrorCode` in `@isobar/core`); each package keeps its own catalogue in its `errors.ts`.',
    '"depends" means the error decides per case; the action says on what.',
  ]
  for (const catalogue of catalogues) {
    lines.push('', `## ${catalogue.package}`, '', '| Code | Retriable | Meaning | What to do |', '|---|---|---|---|')
    for (const [code, doc] of Object.entries(catalogue.docs)) {
      const retriable = doc.retriable === 'depends' ? 'depends' : doc.retriable ? 'yes' : 'no'
      lines.push(`| \`${code}\` | ${retriable} | ${cell(doc.meaning)} | ${cell(doc.action)} |`)
    }
  }
  return `${lines.join('\n')}\n`
}
