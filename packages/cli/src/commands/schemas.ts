import { readFile } from 'node:fs/promises'
import { SchemaRegistryClient, type RegisteredSchema } from '@isobar/core'
import { registerCatalogue } from '@isobar/schemas'
import { flag, intOption, listOption, requirePositional, stringOption } from '../args.ts'
import { commandGroup, type Command } from '../command.ts'
import { writeJson, writeLine, type CliContext } from '../context.ts'
import { UsageError } from '../errors.ts'

const URL_NOTE = 'Registry: SCHEMA_REGISTRY_URL (default http://127.0.0.1:8081).'

function client(ctx: CliContext): SchemaRegistryClient {
  return new SchemaRegistryClient({ url: ctx.registryUrl })
}

function versionOption(command: string, raw: string | undefined): number | 'latest' {
  if (raw === undefined || raw === 'latest') return 'latest'
  const version = Number(raw)
  if (!Number.isInteger(version) || version < 1) {
    throw new UsageError(`${command}: --version must be "latest" or an integer >= 1, got "${raw}"`)
  }
  return version
}

/** A schema from a file, or stdin for "-"; must be JSON (it is sent as a JSON Schema). */
async function readSchema(ctx: CliContext, command: string, source: string): Promise<string> {
  let text: string
  if (source === '-') {
    const chunks: Buffer[] = []
    for await (const chunk of ctx.stdin) chunks.push(Buffer.from(chunk as Buffer))
    text = Buffer.concat(chunks).toString('utf8')
  } else {
    text = await readFile(source, 'utf8').catch((error: unknown) => {
      throw new UsageError(`${command}: cannot read ${source}: ${(error as Error).message}`)
    })
  }
  try {
    return JSON.stringify(JSON.parse(text))
  } catch {
    throw new UsageError(`${command}: ${source === '-' ? 'stdin' : source} is not JSON`)
  }
}

const list: Command = {
  name: 'list',
  summary: 'List subjects and their versions',
  options: {
    prefix: { type: 'string', value: 'P', description: 'only subjects starting with P' },
    deleted: { type: 'boolean', description: 'include soft-deleted subjects and versions' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  notes: URL_NOTE,
  async run(args, ctx) {
    const registry = client(ctx)
    const deleted = flag(args, 'deleted')
    const prefix = stringOption(args, 'prefix')
    const subjects = await registry.listSubjects({ ...(prefix ? { prefix } : {}), deleted })
    const rows = await Promise.all(
      subjects.map(async (subject) => ({ subject, versions: await registry.listVersions(subject, { deleted }) })),
    )
    if (flag(args, 'json')) writeJson(ctx.stdout, rows)
    else for (const row of rows) writeLine(ctx.stdout, `${row.subject}\tversions ${row.versions.join(',')}`)
    return 0
  },
}

const get: Command = {
  name: 'get',
  summary: 'Show a schema by subject (and version) or by id',
  arguments: [{ name: 'subject', description: 'the subject (or give --id)' }],
  options: {
    version: { type: 'string', value: 'N|latest', description: 'a version number, or latest' },
    id: { type: 'string', value: 'N', description: 'the schema with this global id, whatever its subject' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  notes: URL_NOTE,
  async run(args, ctx) {
    const registry = client(ctx)
    const result: RegisteredSchema & { subject?: string; version?: number } =
      args.values.id !== undefined
        ? await registry.getSchemaById(intOption(args, 'schemas get', 'id', 1, 0))
        : await registry.getVersion(
            requirePositional(args, 'schemas get', 0, 'subject (or --id)'),
            versionOption('schemas get', stringOption(args, 'version')),
          )
    if (flag(args, 'json')) {
      writeJson(ctx.stdout, result)
      return 0
    }
    const where = result.subject ? `${result.subject} v${result.version} ` : ''
    writeLine(ctx.stdout, `${where}id ${result.id} (${result.schemaType})`)
    let pretty = result.schema
    try {
      pretty = JSON.stringify(JSON.parse(result.schema), null, 2)
    } catch {
      // Not JSON (an Avro IDL, say): print as stored.
    }
    writeLine(ctx.stdout, pretty)
    return 0
  },
}

const register: Command = {
  name: 'register',
  summary: "Register a JSON Schema, or Isobar's whole message catalogue",
  arguments: [
    { name: 'subject', description: 'the subject (or give --catalogue)' },
    { name: 'file|-', description: 'the JSON Schema, from a file or stdin' },
  ],
  options: {
    catalogue: {
      type: 'boolean',
      description: "set each catalogue subject's compatibility and register its versions (idempotent)",
    },
    topic: {
      type: 'string',
      multiple: true,
      value: 'T',
      description: 'with --catalogue: only these topics (repeatable)',
    },
    json: { type: 'boolean', description: 'print JSON' },
  },
  notes: URL_NOTE,
  async run(args, ctx) {
    const registry = client(ctx)
    if (flag(args, 'catalogue')) {
      const topics = listOption(args, 'topic')
      const result = await registerCatalogue(registry, topics.length > 0 ? { topics } : {})
      if (flag(args, 'json')) writeJson(ctx.stdout, result)
      else for (const r of result) writeLine(ctx.stdout, `${r.subject}\tids ${r.ids.join(',')}`)
      return 0
    }
    const subject = requirePositional(args, 'schemas register', 0, 'subject')
    const schema = await readSchema(ctx, 'schemas register', requirePositional(args, 'schemas register', 1, 'file'))
    const id = await registry.register(subject, { schema })
    const { version } = await registry.lookup(subject, { schema })
    if (flag(args, 'json')) writeJson(ctx.stdout, { subject, id, version })
    else writeLine(ctx.stdout, `Registered ${subject} version ${version} (id ${id})`)
    return 0
  },
}

const check: Command = {
  name: 'check',
  summary: 'Would a schema be accepted by a subject? (exit 1 when not)',
  arguments: [
    { name: 'subject', required: true },
    { name: 'file|-', required: true, description: 'the JSON Schema, from a file or stdin' },
  ],
  options: {
    version: {
      type: 'string',
      value: 'N|latest',
      description: 'check against this version only',
      default: "the versions the subject's compatibility level requires",
    },
    json: { type: 'boolean', description: 'print JSON' },
  },
  notes: URL_NOTE,
  async run(args, ctx) {
    const subject = requirePositional(args, 'schemas check', 0, 'subject')
    const schema = await readSchema(ctx, 'schemas check', requirePositional(args, 'schemas check', 1, 'file'))
    const raw = stringOption(args, 'version')
    const target = raw === undefined ? 'all' : versionOption('schemas check', raw)
    const result = await client(ctx).checkCompatibility(subject, { schema }, target)
    if (flag(args, 'json')) writeJson(ctx.stdout, { subject, ...result })
    else {
      writeLine(ctx.stdout, result.isCompatible ? `Compatible with ${subject}` : `NOT compatible with ${subject}`)
      for (const message of result.messages) writeLine(ctx.stdout, `  ${message}`)
    }
    return result.isCompatible ? 0 : 1
  },
}

const remove: Command = {
  name: 'delete',
  summary: 'Soft-delete (or with --permanent, hard-delete) a subject or one version',
  arguments: [{ name: 'subject', required: true }],
  options: {
    version: {
      type: 'string',
      value: 'N|latest',
      description: 'delete this version only',
      default: 'the whole subject',
    },
    permanent: { type: 'boolean', description: 'hard delete (the subject or version must be soft-deleted first)' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  notes: URL_NOTE,
  async run(args, ctx) {
    const subject = requirePositional(args, 'schemas delete', 0, 'subject')
    const permanent = flag(args, 'permanent')
    const registry = client(ctx)
    const raw = stringOption(args, 'version')
    const versions =
      raw === undefined
        ? await registry.deleteSubject(subject, { permanent })
        : [await registry.deleteVersion(subject, versionOption('schemas delete', raw), { permanent })]
    if (flag(args, 'json')) writeJson(ctx.stdout, { subject, deleted: versions, permanent })
    else writeLine(ctx.stdout, `Deleted ${subject} version(s) ${versions.join(',')}${permanent ? ' permanently' : ''}`)
    return 0
  },
}

const config: Command = {
  name: 'config',
  summary: 'Show or set the compatibility level (global, or of one subject)',
  arguments: [{ name: 'subject' }],
  options: {
    set: { type: 'string', value: 'LEVEL', description: 'set the level instead of showing it' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  notes: [
    '  LEVEL: NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE',
    '  A subject without its own level shows the global one.',
    '',
    URL_NOTE,
  ].join('\n'),
  async run(args, ctx) {
    const subject = args.positionals[0]
    const level = stringOption(args, 'set')
    const registry = client(ctx)
    const result = level
      ? await registry.setConfig(subject, level.toUpperCase())
      : await registry.getConfig(subject, { defaultToGlobal: true })
    if (flag(args, 'json')) writeJson(ctx.stdout, { subject: subject ?? null, ...result })
    else writeLine(ctx.stdout, `${subject ?? '(global)'}\t${result.compatibilityLevel}`)
    return 0
  },
}

export const schemasCommand = commandGroup('schemas', 'Manage message schemas in the Schema Registry', [
  list,
  get,
  register,
  check,
  remove,
  config,
])
