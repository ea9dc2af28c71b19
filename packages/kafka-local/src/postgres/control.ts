/**
 * A local PostgreSQL 15 under the Isobar home (`<home>/db/`) for the history sink: `startPostgres` initialises the
 * cluster once (initdb; owner role `isobar` with a generated password), starts it with `pg_ctl` on 127.0.0.1,
 * creates the read-only role and applies the history schema (deploy/history/schema.sql, idempotent) and the
 * retention; `stopPostgres` stops it by the postmaster's pid. As root, PostgreSQL refuses to run: every server
 * binary then runs as the `postgres` user through `runuser`, on directories it owns.
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KafkaLocalError, KafkaLocalErrorCodes } from '../errors.ts'
import { execCommand, lastLines, type ExecResult } from '../exec.ts'
import { ManagedProcess, assertPortFree, type ManagedStatus } from '../managed-process.ts'
import {
  DB_NAME,
  DB_OWNER,
  DB_READER,
  DEFAULT_DB_PORT,
  pgHbaConf,
  postgresPaths,
  postgresServerArgs,
  postgresUrl,
  sqlLiteral,
  type PostgresCredentials,
  type PostgresPaths,
} from './config.ts'

export const DEFAULT_POSTGRES_BIN_DIR = '/usr/lib/postgresql/15/bin'
export const HISTORY_SCHEMA_FILE = fileURLToPath(new URL('../../../../deploy/history/schema.sql', import.meta.url))
export const DEFAULT_RETENTION_DAYS = 30

export interface PostgresOptions {
  homeDir: string
  /** Default 5432. */
  port?: number
  /** Where initdb, pg_ctl, postgres and psql are (default Debian's PostgreSQL 15). */
  binDir?: string
  /** History older than this is deleted at each start (default 30 days). */
  retentionDays?: number
  timeoutMs?: number
}

/** No URL: clients connect with the URLs `startPostgres` returns (they carry the credentials). */
export type PostgresStatus = Omit<ManagedStatus, 'url'>

export interface RunningPostgres {
  reused: boolean
  pid: number
  port: number
  dir: string
  /** Socket directory: `psql -h <socketDir> -p <port> -U isobar isobar` connects without a password. */
  socketDir: string
  ownerUrl: string
  readerUrl: string
  credentials: PostgresCredentials
  /** Rows the retention deleted at this start. */
  pruned: number
}

const isRoot = (): boolean => process.getuid?.() === 0

function bin(binDir: string, name: string): string {
  const path = join(binDir, name)
  if (!existsSync(path)) {
    throw new KafkaLocalError(
      KafkaLocalErrorCodes.POSTGRES_MISSING,
      `${path} not found: install PostgreSQL 15 (Debian/Ubuntu: apt-get install postgresql-15)`,
    )
  }
  return path
}

/** Runs a server binary as `postgres` when we are root (initdb and postgres refuse root), directly otherwise. */
async function runServerTool(command: string, args: readonly string[], timeoutMs: number): Promise<ExecResult> {
  return isRoot()
    ? execCommand('runuser', ['-u', 'postgres', '--', command, ...args], { timeoutMs })
    : execCommand(command, args, { timeoutMs })
}

function failed(what: string, result: ExecResult): KafkaLocalError {
  const why = result.timedOut ? 'timed out' : `exit code ${result.exitCode}`
  return new KafkaLocalError(
    KafkaLocalErrorCodes.POSTGRES_FAILED,
    `${what} failed (${why}): ${lastLines(result.stderr || result.stdout, 3).replaceAll('\n', ' | ')}`,
  )
}

const POSTMASTER_PORT = /^(?:[^\n]*\n){3}[ \t]*(\d+)[ \t]*(?:\n|$)/

/**
 * The postmaster as a managed process: ours when its command line names the home's data directory; its port is
 * the fourth line of postmaster.pid (written by the running server itself).
 */
function postmaster(paths: PostgresPaths): ManagedProcess {
  return new ManagedProcess(paths, { marker: paths.data, portFile: paths.pid, portPattern: POSTMASTER_PORT })
}

export async function postgresStatus(options: { homeDir: string }): Promise<PostgresStatus> {
  return postmaster(postgresPaths(options.homeDir)).status()
}

async function readCredentials(paths: PostgresPaths): Promise<PostgresCredentials | undefined> {
  try {
    return JSON.parse(await readFile(paths.credentials, 'utf8')) as PostgresCredentials
  } catch {
    return undefined
  }
}

/** The owner's and the reader's passwords (undefined before the first start). */
export async function readPostgresCredentials(options: { homeDir: string }): Promise<PostgresCredentials | undefined> {
  return readCredentials(postgresPaths(options.homeDir))
}

async function loadOrCreateCredentials(paths: PostgresPaths): Promise<PostgresCredentials> {
  const existing = await readCredentials(paths)
  if (existing) return existing
  const password = () => randomBytes(18).toString('base64url')
  const created = {
    owner: { username: DB_OWNER, password: password() },
    reader: { username: DB_READER, password: password() },
  }
  await writeFile(paths.credentials, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 })
  await chmod(paths.credentials, 0o600)
  return created
}

/** The directories the server writes, owned by `postgres` when we are root (it must reach them too). */
async function prepareDirs(paths: PostgresPaths): Promise<void> {
  await mkdir(paths.dir, { recursive: true, mode: 0o700 })
  for (const dir of [paths.data, paths.run, join(paths.dir, 'log')]) await mkdir(dir, { recursive: true, mode: 0o700 })
  if (!isRoot()) return
  const id = await execCommand('id', ['-u', 'postgres'], { timeoutMs: 10_000 })
  const gid = await execCommand('id', ['-g', 'postgres'], { timeoutMs: 10_000 })
  if (id.exitCode !== 0 || gid.exitCode !== 0) {
    throw new KafkaLocalError(KafkaLocalErrorCodes.POSTGRES_MISSING, 'no postgres user: install postgresql-15')
  }
  // The home and its db dir must be enterable (not readable) by postgres; credentials.json stays 0600.
  const home = dirname(paths.dir)
  await chmod(home, (await stat(home)).mode | 0o001)
  await chmod(paths.dir, 0o711)
  for (const dir of [paths.data, paths.run, join(paths.dir, 'log')]) {
    await chown(dir, Number(id.stdout.trim()), Number(gid.stdout.trim()))
  }
  const reach = await runServerTool('test', ['-w', paths.run], 10_000)
  if (reach.exitCode !== 0) {
    throw new KafkaLocalError(
      KafkaLocalErrorCodes.POSTGRES_FAILED,
      `the postgres user cannot reach ${paths.dir}: give its parent directories o+x, or set ISOBAR_HOME elsewhere`,
    )
  }
}

async function initdb(paths: PostgresPaths, binDir: string, credentials: PostgresCredentials): Promise<void> {
  if (existsSync(join(paths.data, 'PG_VERSION'))) return
  const pwfile = join(paths.run, 'initdb.pw')
  await writeFile(pwfile, `${credentials.owner.password}\n`, { mode: 0o600 })
  if (isRoot()) await execCommand('chown', ['postgres', pwfile], { timeoutMs: 10_000 })
  try {
    const result = await runServerTool(
      bin(binDir, 'initdb'),
      [
        '-D',
        paths.data,
        '-U',
        DB_OWNER,
        `--pwfile=${pwfile}`,
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C',
      ],
      120_000,
    )
    if (result.exitCode !== 0) throw failed('initdb', result)
  } finally {
    await rm(pwfile, { force: true })
  }
}

/** Runs SQL through psql on the home's socket as the owner; returns the unaligned, tab-separated output. */
export async function runPsql(options: {
  homeDir: string
  sql: string
  port?: number
  database?: string
  binDir?: string
  timeoutMs?: number
}): Promise<string> {
  const paths = postgresPaths(options.homeDir)
  const port = options.port ?? (await postmaster(paths).port())
  if (port === undefined) throw new KafkaLocalError(KafkaLocalErrorCodes.NOT_RUNNING, 'PostgreSQL is not running')
  const psql = bin(options.binDir ?? DEFAULT_POSTGRES_BIN_DIR, 'psql')
  const args = ['-X', '-q', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-h', paths.run, '-p', String(port)]
  args.push('-U', DB_OWNER, '-d', options.database ?? DB_NAME, '-f', '-')
  const result = await execCommand(psql, args, { input: options.sql, timeoutMs: options.timeoutMs ?? 60_000 })
  if (result.exitCode !== 0) throw failed('psql', result)
  return result.stdout
}

async function applySchema(
  paths: PostgresPaths,
  port: number,
  binDir: string,
  credentials: PostgresCredentials,
  retentionDays: number,
): Promise<number> {
  const homeDir = join(paths.dir, '..')
  await runPsql({
    homeDir,
    port,
    binDir,
    database: 'postgres',
    sql: `SELECT 'CREATE DATABASE ${DB_NAME} OWNER ${DB_OWNER}' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${DB_NAME}') \\gexec\n`,
  })
  const reader = credentials.reader
  const roles = [
    `SELECT 'CREATE ROLE ${reader.username} LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${reader.username}') \\gexec`,
    `ALTER ROLE ${reader.username} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${sqlLiteral(reader.password)};`,
    `ALTER ROLE ${DB_OWNER} PASSWORD ${sqlLiteral(credentials.owner.password)};`,
    `GRANT CONNECT ON DATABASE ${DB_NAME} TO ${reader.username};`,
  ]
  await runPsql({ homeDir, port, binDir, database: 'postgres', sql: `${roles.join('\n')}\n` })
  const schema = await readFile(HISTORY_SCHEMA_FILE, 'utf8')
  const grants = [
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC;`,
    `GRANT USAGE ON SCHEMA public TO ${reader.username};`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${reader.username};`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${DB_OWNER} IN SCHEMA public GRANT SELECT ON TABLES TO ${reader.username};`,
    `SELECT isobar_history_prune(interval '${retentionDays} days');`,
  ]
  const out = await runPsql({ homeDir, port, binDir, sql: `${schema}\n${grants.join('\n')}\n` })
  return Number(out.trim().split('\n').at(-1)) || 0
}

export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const paths = postgresPaths(options.homeDir)
  const binDir = options.binDir ?? DEFAULT_POSTGRES_BIN_DIR
  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 36_500) {
    throw new KafkaLocalError(KafkaLocalErrorCodes.INVALID_OPTION, 'retention must be 1..36500 days')
  }
  const pgCtl = bin(binDir, 'pg_ctl')
  bin(binDir, 'psql')
  await prepareDirs(paths)
  const credentials = await loadOrCreateCredentials(paths)
  const existing = await postmaster(paths).pid()
  let port: number
  let pid: number
  if (existing !== undefined) {
    pid = existing
    port = (await postmaster(paths).port()) ?? options.port ?? DEFAULT_DB_PORT
  } else {
    port = options.port ?? DEFAULT_DB_PORT
    await assertPortFree(port)
    await initdb(paths, binDir, credentials)
    await writeFile(join(paths.data, 'pg_hba.conf'), pgHbaConf())
    const serverArgs = postgresServerArgs(paths, port)
      .map((arg) => `'${arg.replaceAll("'", "'\\''")}'`)
      .join(' ')
    const timeoutS = Math.ceil((options.timeoutMs ?? 60_000) / 1000)
    const log = paths.log
    const result = await runServerTool(
      pgCtl,
      ['-D', paths.data, '-l', log, '-o', serverArgs, '-w', '-t', String(timeoutS), 'start'],
      (timeoutS + 10) * 1000,
    )
    const started = await postmaster(paths).pid()
    if (result.exitCode !== 0 || started === undefined) {
      const tail = lastLines(await readFile(log, 'utf8').catch(() => ''), 3).replaceAll('\n', ' | ')
      throw new KafkaLocalError(
        KafkaLocalErrorCodes.POSTGRES_FAILED,
        `PostgreSQL did not come up: ${tail || lastLines(result.stderr, 3)}`,
      )
    }
    pid = started
  }
  const pruned = await applySchema(paths, port, binDir, credentials, retentionDays)
  return {
    reused: existing !== undefined,
    pid,
    port,
    dir: paths.dir,
    socketDir: paths.run,
    ownerUrl: postgresUrl(port, credentials.owner),
    readerUrl: postgresUrl(port, credentials.reader),
    credentials,
    pruned,
  }
}

/**
 * Stops the home's PostgreSQL by its pid: SIGINT (fast shutdown: clients are disconnected, the data is flushed),
 * SIGKILL if it is still alive after `timeoutMs`. True if one was running.
 */
export async function stopPostgres(options: { homeDir: string; timeoutMs?: number }): Promise<boolean> {
  // The postmaster removes its own pid file when it shuts down.
  return postmaster(postgresPaths(options.homeDir)).stop({
    signal: 'SIGINT',
    timeoutMs: options.timeoutMs ?? 30_000,
    removePidFile: false,
  })
}
