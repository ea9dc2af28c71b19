import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { REPO_ROOT, runIsobar, type ProcessResult } from '@isobar/testing'
import { lazyCommand, type Command } from '../src/command.ts'
import { helpText } from '../src/program.ts'
import { commands } from '../src/run.ts'
import { runIsobarInProcess } from './run-in-process.ts'

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

test('isobar --version prints the package version; no arguments prints the commands with exit code 2', async () => {
  for (const flag of ['--version', '-V']) {
    const result = await runIsobarInProcess([flag])
    assert.equal(result.exitCode, 0)
    assert.equal(result.stdout, `isobar ${manifest.version} (Node ${process.version})\n`)
  }
  const bare = await runIsobarInProcess([])
  assert.equal(bare.exitCode, 2)
  assert.match(bare.stdout, /^Usage: isobar <command>/)
  const unknown = await runIsobarInProcess(['frobnicate'])
  assert.equal(unknown.exitCode, 2)
  assert.equal(unknown.stderr, 'isobar: unknown command "frobnicate" (run `isobar --help` for the list)\n')
})

const traceDir = mkdtempSync(join(tmpdir(), 'isobar-module-trace-'))
after(() => rmSync(traceDir, { recursive: true, force: true }))
const tracer = pathToFileURL(fileURLToPath(new URL('module-trace.ts', import.meta.url))).href
const cliSrc = pathToFileURL(join(REPO_ROOT, 'packages', 'cli', 'src')).href
const commandsDir = `${cliSrc}/commands/`
let traces = 0

/** Runs `isobar …` with module-trace.ts preloaded: its result and the URL of every module it loaded. */
async function runTraced(args: string[]): Promise<{ result: ProcessResult; modules: string[] }> {
  const traceFile = join(traceDir, `trace-${++traces}.txt`)
  const result = await runIsobar(args, {
    env: {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${tracer}`.trim(),
      ISOBAR_TEST_MODULE_TRACE: traceFile,
    },
  })
  const modules = readFileSync(traceFile, 'utf8').split('\n').filter(Boolean)
  return { result, modules }
}

test('isobar, --help, --version and an unknown command load the command table only, no command module', async () => {
  // Real processes: these also check that runCli's answer becomes the process's output and exit status.
  const cases: Array<[string[], number, RegExp]> = [
    [[], 2, /^Usage: isobar <command>/],
    [['--help'], 0, /^Usage: isobar <command>/],
    [['--version'], 0, /^isobar \S+ \(Node v/],
    [['-V'], 0, /^isobar \S+ \(Node v/],
    [['frobnicate'], 2, /^isobar: unknown command "frobnicate"/],
  ]
  for (const [args, exitCode, output] of cases) {
    const { result, modules } = await runTraced(args)
    assert.equal(result.exitCode, exitCode, `exit code of isobar ${args.join(' ')}`)
    assert.match(result.stdout + result.stderr, output, `output of isobar ${args.join(' ')}`)
    assert.ok(
      modules.some((url) => url === `${cliSrc}/run.ts`),
      `the trace of isobar ${args.join(' ')} has no run.ts: ${modules.join(', ')}`,
    )
    // Nothing but the CLI's own start-up files, commander (help and version come from it) and Node builtins: no
    // command, no workspace package, no other dependency.
    const heavy = modules.filter(
      (url) =>
        !url.startsWith('node:') &&
        !url.includes('/node_modules/commander/') &&
        !(url.startsWith(`${cliSrc}/`) && !url.startsWith(commandsDir)),
    )
    assert.deepEqual(
      heavy.filter((url) => !url.endsWith('/packages/cli/bin/isobar.js')),
      [],
      `isobar ${args.join(' ')} loaded more than the command table`,
    )
  }
})

test('a command’s --help loads that command’s module and no other command', async () => {
  for (const [name, expectedHelp] of [
    ['topics', /^Usage: isobar topics <command>/],
    ['logs', /--follow/],
  ] as const) {
    const { result, modules } = await runTraced([name, '--help'])
    assert.equal(result.exitCode, 0, result.stderr)
    assert.match(result.stdout, expectedHelp)
    const loadedCommands = modules
      .filter((url) => url.startsWith(commandsDir))
      .map((url) => url.slice(commandsDir.length))
    assert.deepEqual(loadedCommands, [`${name}.ts`])
    if (name === 'logs') {
      // A command that needs no Kafka starts without the Kafka client layer: the CLI's errors and output helpers
      // come from '@isobar/core/errors' and output.ts, not core's index (~900 modules).
      const outside = modules.filter(
        (url) => !url.startsWith('node:') && !url.startsWith(`${cliSrc}/`) && !url.includes('/node_modules/commander/'),
      )
      assert.deepEqual(
        outside.filter((url) => !url.endsWith('/packages/cli/bin/isobar.js')),
        [pathToFileURL(join(REPO_ROOT, 'packages', 'core', 'src', 'errors.ts')).href],
      )
    }
  }
})

test('every entry of the command table loads the command it names, with the summary usage() shows', async () => {
  assert.equal(new Set(commands.map((c) => c.name)).size, commands.length, 'command names are unique')
  for (const entry of commands) {
    const command = await entry.load()
    assert.equal(command.name, entry.name)
    assert.equal(command.summary, entry.summary, `summary of ${entry.name}`)
    assert.match(helpText(command), new RegExp(`^Usage: isobar ${entry.name} `), `help of ${entry.name}`)
  }
})

test('lazyCommand rejects a loader that returns another command', async () => {
  const other: Command = { name: 'other', summary: 'x', run: () => Promise.resolve(0) }
  const entry = lazyCommand({ name: 'mine', summary: 'x', load: () => Promise.resolve(other) })
  await assert.rejects(entry.load(), /the command table entry "mine" loaded the command "other"/)
})
