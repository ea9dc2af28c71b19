import {
  DEFAULT_ALERTS_TOPIC,
  DEFAULT_COMMANDS_TOPIC,
  alertCommandRecord,
  createAlertCommand,
  parseDuration,
  readLatestAlerts,
  splitAlertKey,
  type AlertCommand,
  type NewAlertCommand,
} from '@isobar/alerts'
import { flag, requirePositional, stringOption } from '../args.ts'
import { commandGroup, type Command, type OptionDecl, type OptionDecls } from '../command.ts'
import { writeJson, writeLine, type CliContext } from '../context.ts'
import { UsageError } from '../errors.ts'

/** The options of every command that sends an alert command; `by` says who, in the words of the command. */
function commandOptions(by: string): OptionDecls {
  return {
    by: { type: 'string', value: 'NAME', description: by, default: '$USER' },
    'commands-topic': {
      type: 'string',
      value: 'T',
      description: 'where commands go',
      default: DEFAULT_COMMANDS_TOPIC,
    },
    json: { type: 'boolean', description: 'print the command sent as JSON' },
  }
}

const ALERT_KEY = { name: 'ruleId+entityId', required: true } as const
const RULE_KEY = { name: 'ruleId[+entityId]', required: true } as const
const alertsTopic: OptionDecl = {
  type: 'string',
  value: 'T',
  description: 'alerts topic (weather.alerts for weather)',
  default: DEFAULT_ALERTS_TOPIC,
}

const list: Command = {
  name: 'list',
  summary: 'Current alerts: the latest state per rule+entity',
  options: {
    topic: alertsTopic,
    all: { type: 'boolean', description: 'include resolved alerts' },
    json: { type: 'boolean', description: 'print a JSON array of the latest alert events' },
  },
  async run(args, ctx) {
    const admin = (await ctx.kafka()).admin()
    const latest = await readLatestAlerts(admin, stringOption(args, 'topic') ?? DEFAULT_ALERTS_TOPIC).finally(() =>
      admin.close(),
    )
    const shown = latest
      .filter((a) => flag(args, 'all') || a.state === 'firing')
      .sort((a, b) => `${a.ruleId}+${a.entityId}`.localeCompare(`${b.ruleId}+${b.entityId}`))
    if (flag(args, 'json')) {
      writeJson(ctx.stdout, shown)
      return 0
    }
    for (const a of shown) {
      const flags = [
        a.acknowledgedBy ? `acked by ${a.acknowledgedBy}` : '',
        a.silencedUntilMs ? `silenced until ${new Date(a.silencedUntilMs).toISOString()}` : '',
        a.flapping ? 'flapping' : '',
      ].filter(Boolean)
      writeLine(
        ctx.stdout,
        `${a.ruleId}+${a.entityId}\t${a.state}\t${a.severity}\t${a.message}${flags.length ? `\t(${flags.join(', ')})` : ''}`,
      )
    }
    if (shown.length === 0) writeLine(ctx.stderr, 'No alerts')
    return 0
  },
}

const ack: Command = {
  name: 'ack',
  summary: 'Acknowledge a firing alert',
  arguments: [ALERT_KEY],
  options: {
    'alert-id': {
      type: 'string',
      value: 'ID',
      description: 'only this episode (ignored by the engine if the alert resolved and fired again)',
    },
    ...commandOptions('who acknowledges'),
  },
  async run(args, ctx) {
    const { ruleId, entityId } = splitAlertKey(requirePositional(args, 'alerts ack', 0, 'alert key (ruleId+entityId)'))
    if (entityId === undefined)
      throw new UsageError('alerts ack: the alert key is ruleId+entityId, e.g. gust-high+metar:KDAL')
    const alertId = stringOption(args, 'alert-id')
    return send(ctx, args.values, {
      action: 'acknowledge',
      ruleId,
      entityId,
      ...(alertId === undefined ? {} : { alertId }),
      issuedBy: issuer(ctx, args.values.by),
    })
  },
}

const silence: Command = {
  name: 'silence',
  summary: 'Silence a rule (or one rule+entity) for a while',
  arguments: [RULE_KEY],
  options: {
    for: { type: 'string', value: 'DURATION', description: 'how long (required), e.g. 30m, 2h, 1d' },
    ...commandOptions('who silences'),
  },
  async run(args, ctx) {
    const { ruleId, entityId } = splitAlertKey(requirePositional(args, 'alerts silence', 0, 'ruleId[+entityId]'))
    const forText = stringOption(args, 'for')
    if (forText === undefined) throw new UsageError('alerts silence: --for DURATION is required (e.g. --for 2h)')
    let ms: number
    try {
      ms = parseDuration(forText)
    } catch (error) {
      throw new UsageError(`alerts silence: --for: ${(error as Error).message}`)
    }
    return send(ctx, args.values, {
      action: 'silence',
      ruleId,
      ...(entityId === undefined ? {} : { entityId }),
      silenceUntilMs: Date.now() + ms,
      issuedBy: issuer(ctx, args.values.by),
    })
  },
}

const unsilence: Command = {
  name: 'unsilence',
  summary: 'Remove the silences of a rule (or one rule+entity)',
  arguments: [RULE_KEY],
  options: commandOptions('who removes the silences'),
  async run(args, ctx) {
    const { ruleId, entityId } = splitAlertKey(requirePositional(args, 'alerts unsilence', 0, 'ruleId[+entityId]'))
    return send(ctx, args.values, {
      action: 'unsilence',
      ruleId,
      ...(entityId === undefined ? {} : { entityId }),
      issuedBy: issuer(ctx, args.values.by),
    })
  },
}

function issuer(ctx: CliContext, by: unknown): string {
  return typeof by === 'string' && by !== '' ? by : ctx.env.USER || 'isobar-cli'
}

async function send(ctx: CliContext, values: Record<string, unknown>, input: NewAlertCommand): Promise<number> {
  let command: AlertCommand
  try {
    command = createAlertCommand(input)
  } catch (error) {
    throw new UsageError(`alerts ${input.action}: ${(error as Error).message}`)
  }
  const topic = typeof values['commands-topic'] === 'string' ? values['commands-topic'] : DEFAULT_COMMANDS_TOPIC
  const producer = (await ctx.kafka()).producer()
  const [report] = await producer.send([alertCommandRecord(topic, command)]).finally(() => producer.close())
  if (values.json === true)
    writeJson(ctx.stdout, { command, topic, partition: report?.partition, offset: report?.baseOffset })
  else
    writeLine(
      ctx.stdout,
      `Sent ${command.action} for ${command.ruleId}${command.entityId ? `+${command.entityId}` : ''} (${command.commandId})`,
    )
  return 0
}

export const alertsCommand = commandGroup('alerts', 'Alert state, acknowledgements and silences', [
  list,
  ack,
  silence,
  unsilence,
])
