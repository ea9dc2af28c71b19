import { evaluatePartition, lagSampleOf, worstStatus, type OffsetResetTarget, type PartitionLag } from '@isobar/core'
import type { FastifyInstance } from 'fastify'
import type { RouteContext } from './context.ts'
import { deletedResponse, groupLagResponse, groupListResponse, groupResponse } from './response-schemas.ts'
import { offsetResetPlanResponse } from './ops-response-schemas.ts'
import { errorResponses, groupParams, num, numOrNull, secured, topicName } from './schemas.ts'

interface GroupParams {
  group: string
}

interface ResetBody {
  topic: string
  to: OffsetResetTarget['to']
  timestamp?: number
  offset?: number
  partitions?: number[]
  dryRun?: boolean
}

function lagRow(row: PartitionLag): Record<string, unknown> {
  return {
    topic: row.topic,
    partition: row.partition,
    committedOffset: numOrNull(row.committedOffset),
    earliestOffset: num(row.earliestOffset),
    latestOffset: num(row.latestOffset),
    lag: numOrNull(row.lag),
    lagSeconds: row.lagSeconds,
    nextRecordTimestamp: row.nextRecordTimestamp,
  }
}

function resetTarget(body: ResetBody): OffsetResetTarget {
  if (body.to === 'timestamp') return { to: 'timestamp', timestamp: body.timestamp ?? 0 }
  if (body.to === 'offset') return { to: 'offset', offset: BigInt(body.offset ?? 0) }
  return { to: body.to }
}

export function groupRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(
    '/api/groups',
    {
      config: { access: 'read' },
      schema: {
        tags: ['groups'],
        summary: 'Consumer groups (classic and KIP-848) with type and state',
        security: secured,
        response: { 200: groupListResponse, ...errorResponses(502, 503, 504) },
      },
    },
    async () => ({ groups: await ctx.admin.listGroups() }),
  )

  app.get<{ Params: GroupParams }>(
    '/api/groups/:group',
    {
      config: { access: 'read' },
      schema: {
        tags: ['groups'],
        summary: 'Describe a group: state, protocol, members with assignments, committed offsets',
        security: secured,
        params: groupParams,
        response: { 200: groupResponse, ...errorResponses(400, 404, 414, 502, 503, 504) },
      },
    },
    async (request) => {
      const [description, offsets] = await Promise.all([
        ctx.admin.describeGroup(request.params.group),
        ctx.admin.groupOffsets(request.params.group),
      ])
      return { ...description, offsets: offsets.map((o) => ({ ...o, offset: num(o.offset) })) }
    },
  )

  app.get<{ Params: GroupParams }>(
    '/api/groups/:group/lag',
    {
      config: { access: 'read' },
      schema: {
        tags: ['groups'],
        summary:
          'Lag per partition in records and in seconds (age of the next unconsumed record), with a one-sample status (OK, or STOP: lag and no members)',
        security: secured,
        params: groupParams,
        response: { 200: groupLagResponse, ...errorResponses(400, 404, 414, 502, 503, 504) },
      },
    },
    async (request) => {
      const [rows, description] = await Promise.all([
        ctx.admin.groupLag(request.params.group),
        ctx.admin.describeGroup(request.params.group),
      ])
      const seconds = rows.map((r) => r.lagSeconds ?? 0)
      // One sample can only tell OK from STOP (lag and no members); `isobar groups lag` samples over time.
      const context = { activeMembers: description.members.length }
      const partitions = rows.map((r) => ({
        ...lagRow(r),
        ...evaluatePartition([lagSampleOf(r, Date.now())], context),
      }))
      return {
        groupId: request.params.group,
        status: worstStatus(partitions.map((p) => p.status)),
        totalLag: rows.reduce((sum, r) => sum + num(r.lag ?? 0n), 0),
        maxLagSeconds: seconds.length === 0 ? 0 : Math.max(...seconds),
        partitions,
      }
    },
  )

  app.post<{ Params: GroupParams; Body: ResetBody }>(
    '/api/groups/:group/offsets/reset',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['groups'],
        summary:
          'Move the group offsets on a topic (refused with 409 while the group has members), or preview the move with dryRun',
        security: secured,
        params: groupParams,
        body: {
          type: 'object',
          required: ['topic', 'to'],
          additionalProperties: false,
          properties: {
            topic: topicName,
            to: { type: 'string', enum: ['earliest', 'latest', 'timestamp', 'offset'] },
            timestamp: { type: 'integer', minimum: 0, description: 'ms since the epoch, with to=timestamp' },
            offset: { type: 'integer', minimum: 0, description: 'with to=offset; clamped to the partition range' },
            partitions: {
              type: 'array',
              items: { type: 'integer', minimum: 0 },
              minItems: 1,
              maxItems: 10000,
              uniqueItems: true,
            },
            dryRun: {
              type: 'boolean',
              default: false,
              description: 'only preview: per partition current → new offset and the lag change (allowed with members)',
            },
          },
          allOf: [
            { if: { properties: { to: { const: 'timestamp' } } }, then: { required: ['timestamp'] } },
            { if: { properties: { to: { const: 'offset' } } }, then: { required: ['offset'] } },
          ],
        },
        response: { 200: offsetResetPlanResponse, ...errorResponses(400, 404, 409, 413, 414, 415, 502, 503, 504) },
      },
    },
    async (request) => {
      const { group } = request.params
      const { topic, partitions, dryRun = false } = request.body
      const options = partitions ? { partitions } : {}
      const target = resetTarget(request.body)
      // The reset refuses (409) while the group has members; the plan read just before it gives the lag before.
      const plan = await ctx.admin.planGroupOffsetReset(group, topic, target, options)
      if (!dryRun) {
        const set = await ctx.admin.resetGroupOffsets(group, topic, target, options)
        for (const row of plan.partitions) {
          const offset = set.find((o) => o.partition === row.partition)?.offset ?? row.newOffset
          row.newOffset = offset
          row.lagAfter = offset < row.latestOffset ? row.latestOffset - offset : 0n
        }
      }
      const rows = plan.partitions.map((p) => ({
        partition: p.partition,
        currentOffset: numOrNull(p.currentOffset),
        newOffset: num(p.newOffset),
        earliestOffset: num(p.earliestOffset),
        latestOffset: num(p.latestOffset),
        lagBefore: numOrNull(p.lagBefore),
        lagAfter: num(p.lagAfter),
      }))
      return {
        groupId: group,
        topic,
        dryRun,
        activeMembers: plan.activeMembers,
        offsets: rows.map((r) => ({ topic, partition: r.partition, offset: r.newOffset })),
        partitions: rows,
        totalLagBefore: rows.reduce((sum, r) => sum + (r.lagBefore ?? 0), 0),
        totalLagAfter: rows.reduce((sum, r) => sum + r.lagAfter, 0),
      }
    },
  )

  app.delete<{ Params: GroupParams }>(
    '/api/groups/:group',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['groups'],
        summary: 'Delete a group and its committed offsets (refused with 409 while it has members)',
        security: secured,
        params: groupParams,
        response: { 200: deletedResponse, ...errorResponses(400, 404, 409, 413, 414, 415, 502, 503, 504) },
      },
    },
    async (request) => {
      await ctx.admin.deleteGroup(request.params.group)
      return { deleted: request.params.group }
    },
  )
}
