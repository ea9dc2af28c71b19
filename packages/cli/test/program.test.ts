import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { after, test } from 'node:test'
import type { ParsedArgs } from '../src/args.ts'
import type { Command } from '../src/command.ts'
import { COMPLETION_SHELLS, completionScript } from '../src/completion.ts'
import { createContext } from '../src/context.ts'
import { helpText, invokeCommand } from '../src/program.ts'
import { commands } from '../src/run.ts'
import { runIsobarInProcess } from './run-in-process.ts'

/** Every command of the table, loaded, with the path of each leaf and group: ['topics'], ['topics', 'create'], … */
async function commandTree(): Promise<Array<{ path: string[]; command: Command }>> {
  const tree: Array<{ path: string[]; command: Command }> = []
  for (const entry of commands) {
    const command = await entry.load()
    tree.push({ path: [command.name], command })
    for (const sub of command.subcommands ?? []) tree.push({ path: [command.name, sub.name], command: sub })
  }
  return tree
}

const leaves = async () => (await commandTree()).filter(({ command }) => command.subcommands === undefined)

test('--help of every command and subcommand is generated from its declaration and lists every option', async () => {
  const tree = await commandTree()
  assert.ok(tree.length >= 50, `the tree has ${tree.length} commands`)
  for (const { path, command } of tree) {
    const name = path.join(' ')
    const result = await runIsobarInProcess([...path, '--help'])
    assert.equal(result.exitCode, 0, `isobar ${name} --help: ${result.stderr}`)
    assert.equal(result.stderr, '', `isobar ${name} --help wrote to stderr`)
    assert.match(result.stdout, new RegExp(`^Usage: isobar ${name} `), `usage line of ${name}`)
    const flat = (text: string) => text.replace(/\s+/g, ' ')
    assert.ok(flat(result.stdout).includes(flat(command.summary)), `summary of ${name} in its help`)
    // `isobar help <path>` (and `isobar <group> help <sub>`) print the same text.
    assert.equal((await runIsobarInProcess(['help', ...path])).stdout, result.stdout, `isobar help ${name}`)
    if (path.length === 2) {
      const inGroup = await runIsobarInProcess([path[0] ?? '', 'help', path[1] ?? ''])
      assert.equal(inGroup.stdout, result.stdout, `isobar ${path[0]} help ${path[1]}`)
    }
    assert.equal(helpText(command, path.slice(0, -1)), result.stdout, `helpText of ${name}`)
    for (const [option, decl] of Object.entries(command.options ?? {})) {
      const flags = `${decl.short === undefined ? '' : `-${decl.short}, `}--${option}`
      const shown = decl.type === 'string' ? `${flags} <${decl.value ?? 'value'}>` : flags
      assert.ok(result.stdout.includes(`  ${shown}`), `isobar ${name} --help lacks "${shown}":\n${result.stdout}`)
      assert.ok(decl.description.length > 0, `--${option} of ${name} has a description`)
    }
    for (const argument of command.arguments ?? []) {
      assert.ok(result.stdout.includes(argument.name), `isobar ${name} --help lacks the argument ${argument.name}`)
    }
    for (const sub of command.subcommands ?? []) {
      assert.ok(result.stdout.includes(`  ${sub.name} `), `isobar ${name} --help lacks the subcommand ${sub.name}`)
    }
  }
})

test('an unknown option is one line on stderr and exit 2, for every command that parses its options', async () => {
  for (const { path, command } of await leaves()) {
    if (command.passthroughArgs) continue
    const name = path.join(' ')
    const result = await runIsobarInProcess([...path, '--no-such-option'])
    assert.equal(result.exitCode, 2, `isobar ${name} --no-such-option: ${result.stderr}`)
    assert.equal(result.stdout, '')
    assert.equal(
      result.stderr,
      `isobar ${name}: unknown option '--no-such-option' (see \`isobar ${name} --help\`)\n`,
      `isobar ${name}`,
    )
  }
})

test('strict parsing: no abbreviated long options, no extra arguments, required arguments and choices', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['topics', 'list', '--int'], /^isobar topics list: unknown option '--int'/],
    [['topics', 'list', 'extra'], /^isobar topics list: too many arguments/],
    [['topics', 'create'], /^isobar topics create: missing required argument 'topic'/],
    [
      ['topics', 'create', 'x', '--partitions'],
      /^isobar topics create: option '-p, --partitions <N>' argument missing/,
    ],
    [['bench', 'produce', '--compression', 'brotli'], /^isobar bench produce: .*'brotli' is invalid.*none, gzip/],
    [['completion', 'fish'], /^isobar completion: .*'fish' is invalid.*bash, zsh/],
    [['topics', 'frobnicate'], /^isobar topics: unknown command 'frobnicate'/],
    [['--no-such-option'], /^isobar: unknown option '--no-such-option' \(see `isobar --help`\)/],
  ]
  for (const [args, stderr] of cases) {
    const result = await runIsobarInProcess(args)
    assert.equal(result.exitCode, 2, `isobar ${args.join(' ')}: ${result.stderr}`)
    assert.match(result.stderr, stderr, `isobar ${args.join(' ')}`)
    assert.equal(result.stderr.trim().split('\n').length, 1, `one line for isobar ${args.join(' ')}`)
  }
})

test('a non-integer is a usage error naming the option (exit 2), with either option syntax', async () => {
  for (const [args, named] of [
    // A command's own --version, not the top-level one.
    [
      ['schemas', 'get', 's', '--version', 'v2'],
      /^isobar: schemas get: --version must be "latest" or an integer >= 1, got "v2"\n$/,
    ],
    [
      ['topics', 'create', 'x', '--partitions', '1.5'],
      /^isobar: topics create: --partitions must be an integer >= 1, got "1\.5"\n$/,
    ],
    [
      ['topics', 'create', 'x', '-p', '0x10'],
      /^isobar: topics create: --partitions must be an integer >= 1, got "0x10"\n$/,
    ],
    [
      ['topics', 'create', 'x', '--partitions=many'],
      /^isobar: topics create: --partitions must be an integer >= 1, got "many"\n$/,
    ],
    [
      ['groups', 'lag', 'g', '--samples', '2e0'],
      /^isobar: groups lag: --samples must be an integer >= 1, got "2e0"\n$/,
    ],
  ] as const) {
    const result = await runIsobarInProcess([...args])
    assert.equal(result.exitCode, 2, `isobar ${args.join(' ')}: ${result.stderr}`)
    assert.match(result.stderr, named)
  }
})

test('exit codes: a group without its subcommand prints its help with 2; 3 when a service is not running', async () => {
  const group = await runIsobarInProcess(['topics'])
  assert.equal(group.exitCode, 2)
  assert.match(group.stdout, /^Usage: isobar topics <command> \[options\]\n[^]*\n {2}alter-config /)
  const tool = await runIsobarInProcess(['kafka', 'tool'])
  assert.equal(tool.exitCode, 2)
  assert.match(tool.stdout, /^Usage: isobar kafka tool \[options\] <tool> \[args\.\.\.\]/)
  const toolHelp = await runIsobarInProcess(['kafka', 'tool', '--help'])
  assert.equal(toolHelp.exitCode, 0)
  assert.equal(toolHelp.stdout, tool.stdout)
  const home = mkdtempSync(join(tmpdir(), 'isobar-cli-exit-'))
  after(() => rmSync(home, { recursive: true, force: true }))
  const notRunning = await runIsobarInProcess(['mqtt', 'status', '--json'], { env: { ISOBAR_HOME: home } })
  assert.equal(notRunning.exitCode, 3, notRunning.stderr)
  assert.equal((JSON.parse(notRunning.stdout) as { running: boolean }).running, false)
})

test('the adapter hands run the declared values: strings, repeatable lists, --no-x flags, positionals after --', async () => {
  const seen: ParsedArgs[] = []
  const probe: Command = {
    name: 'probe',
    summary: 'records its arguments',
    arguments: [{ name: 'items', variadic: true }],
    options: {
      one: { type: 'string', short: 'o', description: 'a value' },
      many: { type: 'string', multiple: true, description: 'repeatable' },
      mode: { type: 'string', choices: ['a', 'b'], description: 'a choice' },
      'no-thing': { type: 'boolean', description: 'a negative flag' },
      flag: { type: 'boolean', description: 'a flag' },
    },
    run: (args) => {
      seen.push(args)
      return Promise.resolve(0)
    },
  }
  const ctx = createContext({
    env: {},
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    homeDir: '/nonexistent-home',
    repoRoot: '/nonexistent-repo',
    interactive: false,
    localKafka: () => undefined,
  })
  const argv = ['x', '--many', '1', '-o', '7', '--many', '2', '--no-thing', '--mode', 'b', 'y', '--', '--flag']
  assert.equal(await invokeCommand(probe, argv, ctx), 0)
  assert.deepEqual(seen.at(-1), {
    values: { one: '7', many: ['1', '2'], mode: 'b', 'no-thing': true, flag: undefined },
    positionals: ['x', 'y', '--flag'],
  })
  assert.equal(await invokeCommand(probe, [], ctx), 0)
  assert.deepEqual(seen.at(-1), {
    values: { one: undefined, many: undefined, mode: undefined, 'no-thing': undefined, flag: undefined },
    positionals: [],
  })
  assert.equal(await invokeCommand(probe, ['--mode', 'c'], ctx), 2)
  assert.equal(seen.length, 2, 'a refused invocation does not run')
})

test('completion: the bash and zsh scripts name every command, subcommand and option, and bash parses them', async () => {
  const loaded = await Promise.all(commands.map((entry) => entry.load()))
  const result = await runIsobarInProcess(['completion', 'bash'])
  assert.equal(result.exitCode, 0, result.stderr)
  assert.equal(result.stdout, completionScript('bash', loaded))
  const words = new Set(result.stdout.match(/[\w.+-]+/g))
  for (const { path, command } of await commandTree()) {
    for (const name of path) assert.ok(words.has(name), `the bash script lacks ${name}`)
    assert.ok(result.stdout.includes(`'${path.join(' ')}')`), `the bash script has no case for ${path.join(' ')}`)
    if (command.passthroughArgs) continue
    for (const option of Object.keys(command.options ?? {})) {
      assert.ok(words.has(`--${option}`), `the bash script lacks --${option} of ${path.join(' ')}`)
    }
  }
  for (const shell of COMPLETION_SHELLS) {
    const script = (await runIsobarInProcess(['completion', shell])).stdout
    // zsh runs the same function through bashcompinit; bash -n checks the syntax of both.
    const checked = spawnSync('bash', ['-n'], {
      input: shell === 'zsh' ? script.replace(/^.*bashcompinit.*$/m, '') : script,
    })
    assert.equal(checked.status, 0, `bash -n on the ${shell} script: ${checked.stderr.toString()}`)
  }
  // The script completes: subcommands after a group, an option's choices after it.
  const probe = [
    result.stdout,
    'c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _isobar; echo "${COMPREPLY[*]}"; }',
    'c isobar topics ""',
    'c isobar topics create x --partitions 3 --if',
    'c isobar bench produce --compression z',
  ].join('\n')
  const run = spawnSync('bash', ['-c', probe])
  assert.equal(run.status, 0, run.stderr.toString())
  assert.deepEqual(run.stdout.toString().split('\n').slice(0, 3), [
    'list describe create delete alter-config -h --help',
    '--if-not-exists',
    'zstd',
  ])
})
