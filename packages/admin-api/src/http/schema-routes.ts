/**
 * Schema Registry views for the console, proxied through the Admin API (one origin, one auth): subjects,
 * versions, compatibility levels, and a compatibility check of a candidate schema (a check registers nothing).
 */
import type { SchemaRegistryClient } from '@isobar/core'
import type { FastifyInstance } from 'fastify'
import { InvalidRequestError, NotFoundError } from '../errors.ts'
import { registryCall } from './registry-call.ts'
import { openObject } from './response-schemas.ts'
import { errorResponses, secured, topicParams } from './schemas.ts'
import { latestValueSchema, valueSubject } from './value-schema.ts'

const subjectParams = {
  type: 'object',
  required: ['subject'],
  properties: { subject: { type: 'string', minLength: 1, maxLength: 255 } },
} as const

export function schemaRoutes(app: FastifyInstance, registry: SchemaRegistryClient): void {
  app.get(
    '/api/schemas/subjects',
    {
      config: { access: 'read' },
      schema: {
        tags: ['schemas'],
        summary: 'Subjects of the Schema Registry',
        security: secured,
        response: { 200: openObject('{"subjects": [name, …]}'), ...errorResponses(502) },
      },
    },
    async () => ({ subjects: await registryCall('subjects', () => registry.listSubjects()) }),
  )

  app.get<{ Params: { subject: string } }>(
    '/api/schemas/subjects/:subject',
    {
      config: { access: 'read' },
      schema: {
        tags: ['schemas'],
        summary: 'A subject: its versions (each with id and schema) and its compatibility level',
        security: secured,
        params: subjectParams,
        response: {
          200: openObject('{"subject", "compatibility", "versions": [{version, id, schema}]}'),
          ...errorResponses(404, 502),
        },
      },
    },
    async (request) => {
      const { subject } = request.params
      const versions = await registryCall(subject, () => registry.listVersions(subject))
      const [details, config] = await Promise.all([
        Promise.all(versions.slice(-20).map((v) => registryCall(subject, () => registry.getVersion(subject, v)))),
        registryCall(subject, () => registry.getConfig(subject, { defaultToGlobal: true })),
      ])
      return { subject, compatibility: config.compatibilityLevel, versions: details }
    },
  )

  app.post<{ Params: { subject: string }; Body: { schema: string; version?: number } }>(
    '/api/schemas/subjects/:subject/compatibility',
    {
      config: { access: 'read' },
      schema: {
        tags: ['schemas'],
        summary: 'Would this schema be accepted as the next version? (against all versions, or one)',
        security: secured,
        params: subjectParams,
        body: {
          type: 'object',
          required: ['schema'],
          additionalProperties: false,
          properties: {
            schema: { type: 'string', minLength: 2, maxLength: 200_000 },
            version: { type: 'integer', minimum: 1 },
          },
        },
        response: { 200: openObject('{"subject", "isCompatible", "messages"}'), ...errorResponses(404, 502) },
      },
    },
    async (request) => {
      const { subject } = request.params
      const { schema, version } = request.body
      try {
        JSON.parse(schema)
      } catch (error) {
        throw new InvalidRequestError(`body/schema is not JSON: ${(error as Error).message}`, 'schema')
      }
      const result = await registryCall(subject, () =>
        registry.checkCompatibility(subject, { schema, schemaType: 'JSON' }, version ?? 'all'),
      )
      return { subject, ...result }
    },
  )
}

/** The schema the produce form offers for a topic: the latest version of `<topic>-value`, if there is one. */
export function valueSchemaRoutes(app: FastifyInstance, registry: SchemaRegistryClient | undefined): void {
  const nullable = (type: string) => ({ type: [type, 'null'] })
  app.get<{ Params: { topic: string } }>(
    '/api/topics/:topic/value-schema',
    {
      config: { access: 'read' },
      schema: {
        tags: ['schemas'],
        summary:
          'The latest registered value schema of the topic (subject <topic>-value); found=false with the reason when there is none (or no registry)',
        security: secured,
        params: topicParams,
        response: {
          200: {
            type: 'object',
            required: ['subject', 'found', 'reason', 'version', 'id', 'schemaType', 'schema'],
            properties: {
              subject: { type: 'string' },
              found: { type: 'boolean' },
              reason: { ...nullable('string'), description: 'why there is no schema to offer' },
              version: nullable('integer'),
              id: nullable('integer'),
              schemaType: nullable('string'),
              schema: { description: 'the schema, parsed (a JSON Schema object for JSON); null when not found' },
            },
          },
          ...errorResponses(414, 502),
        },
      },
    },
    async (request) => {
      const subject = valueSubject(request.params.topic)
      const none = (reason: string) => ({
        subject,
        found: false,
        reason,
        version: null,
        id: null,
        schemaType: null,
        schema: null,
      })
      if (!registry) return none('No schema registry is configured (SCHEMA_REGISTRY_URL)')
      try {
        return { ...(await latestValueSchema(registry, request.params.topic)), found: true, reason: null }
      } catch (error) {
        if (error instanceof NotFoundError) return none(`No schema is registered under ${subject}`)
        throw error
      }
    },
  )
}
