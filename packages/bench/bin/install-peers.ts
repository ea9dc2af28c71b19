/**
 * `npm run bench:peers`: installs the native peer client of `isobar bench --clients confluent`
 * (@confluentinc/kafka-javascript, pinned in packages/bench/peers/package-lock.json) apart from the workspace.
 * No prebuilt binary can be downloaded here (GitHub is out of reach), so it builds librdkafka from the bundled
 * source and links it dynamically (CKJS_LINKING=dynamic), against the headers of the Node that runs this script:
 * about 3 minutes on 2 cores. Needs a C/C++ toolchain, make and python3. Skips the build when it is already there
 * (`--force` rebuilds). A clean `npm ci` of the workspace never depends on it.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const peersDir = fileURLToPath(new URL('../peers/', import.meta.url))
const built = join(
  peersDir,
  'node_modules/@confluentinc/kafka-javascript/build/Release/confluent-kafka-javascript.node',
)
if (existsSync(built) && !process.argv.includes('--force')) {
  process.stdout.write(`bench:peers: already built (${built}); --force rebuilds\n`)
  process.exit(0)
}
// The pinned Node package ships its headers next to its binary: node-gyp needs no download.
const nodeHome = dirname(dirname(realpathSync(process.execPath)))
const env: NodeJS.ProcessEnv = {
  ...process.env,
  CKJS_LINKING: 'dynamic',
  PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
  ...(existsSync(join(nodeHome, 'include/node/node_api.h')) ? { npm_config_nodedir: nodeHome } : {}),
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
process.stdout.write(`bench:peers: built ${built}\n`)
