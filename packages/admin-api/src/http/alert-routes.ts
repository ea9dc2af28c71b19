/**
 * Alert actions from the console: acknowledge, silence and unsilence go to `sensors.alert-commands` (the alert
 * engine applies them and publishes the changed alert, which the live feed shows), and the current alerts.
 */
import {
  DEFAULT_ALERTS_TOPIC,
  DEFAULT_COMMANDS_TOPIC,
  alertCommandRecord,
  createAlertCommand,
  readLatestAlerts,
  type NewAlertCommand,
} from '@isobar/alerts'
import type { FastifyInstance } from 'fastify'
import { InvalidRequestError, NotFoundError } from '../errors.ts'
import type { RouteContext } from './context.ts'
import { openObject } from './response-schemas.ts'
import { errorResponses, num, secured } from './schemas.ts'

const id = { type: 'string', minLength: 1, maxLength: 128 } as const

interface CommandBody {
  ruleId: string
  entityId?: string
  alertId?: string
  /** silence: how long, in ms. */
  durationMs?: number
  by?: string
}

const commandBody = {
  type: 'object',
  required: ['ruleId'],
  additionalProperties: false,
  properties: {
    ruleId: id,
    entityId: id,
    alertId: id,
    durationMs: { type: 'integer', minimum: 1000, maximum: 30 * 86_400_000 },
    by: id,
  },
} as const

export interface AlertRouteOptions {
  commandsTopic?: string
  alertsTopic?: string
}

export function alertRoutes(app: FastifyInstance, ctx: RouteContext, options: AlertRouteOptions = {}): void {
  const commandsTopic = options.commandsTopic ?? DEFAULT_COMMANDS_TOPIC
  const alertsTopic = options.alertsTopic ?? DEFAULT_ALERTS_TOPIC

  app.get(
    '/api/alerts',
    {
      config: { access: 'read' },
      schema: {
        tags: ['alerts'],
        summary: `Current state of every sensor alert (latest event per rule+entity on ${alertsTopic})`,
        security: secured,
        response: { 200: openObject('{"alerts": [alert event v2, …]}'), ...errorResponses(404, 502) },
      },
    },
    async () => ({ alerts: await readLatestAlerts(ctx.admin, alertsTopic) }),
  )

  const action = (name: 'acknowledge' | 'silence' | 'unsilence', summary: string): void => {
    app.post<{ Body: CommandBody }>(
      `/api/alerts/${name}`,
      {
        config: { access: 'admin' },
        schema: {
          tags: ['alerts'],
          summary,
          security: secured,
          body: commandBody,
          response: {
            202: openObject('{"command", "topic", "partition", "offset"}: the command as sent'),
            ...errorResponses(404, 502),
          },
        },
      },
      async (request, reply) => {
        const body = request.body
        const by = body.by ?? 'console'
        let input: NewAlertCommand
        if (name === 'acknowledge') {
          if (!body.entityId && !body.alertId)
            throw new InvalidRequestError('body: give entityId or alertId', 'entityId')
          input = {
            action: name,
            ruleId: body.ruleId,
            ...(body.entityId ? { entityId: body.entityId } : {}),
            ...(body.alertId ? { alertId: body.alertId } : {}),
            issuedBy: by,
          }
        } else if (name === 'silence') {
          if (body.durationMs === undefined) throw new InvalidRequestError('body/durationMs is required', 'durationMs')
          input = {
            action: name,
            ruleId: body.ruleId,
            ...(body.entityId ? { entityId: body.entityId } : {}),
            silenceUntilMs: Date.now() + body.durationMs,
            issuedBy: by,
          }
        } else {
          input = {
            action: name,
            ruleId: body.ruleId,
            ...(body.entityId ? { entityId: body.entityId } : {}),
            issuedBy: by,
          }
        }
        // The broker may auto-create a missing topic on produce; a missing commands topic means no engine reads it.
        const [topic] = await ctx.admin.listTopics().then((names) => names.filter((n) => n === commandsTopic))
        if (!topic) {
          throw new NotFoundError(
            `The alert commands topic ${commandsTopic} does not exist: no alert engine reads commands (is Sensor Analytics running?)`,
          )
        }
        let command
        try {
          command = createAlertCommand(input)
        } catch (error) {
          throw new InvalidRequestError(`body: ${(error as Error).message}`)
        }
        const [report] = await ctx.producer().send([alertCommandRecord(commandsTopic, command)])
        return reply.code(202).send({
          command,
          topic: commandsTopic,
          partition: report?.partition ?? null,
          offset: report ? num(report.baseOffset) : null,
        })
      },
    )
  }
  action('acknowledge', 'Acknowledge a firing alert (rule + entity, or one episode by alertId)')
  action('silence', 'Silence a rule, or one rule+entity, for durationMs')
  action('unsilence', 'Remove the silences of a rule, or of one rule+entity')
}
