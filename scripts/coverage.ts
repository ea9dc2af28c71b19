// `npm run test:coverage`: the unit tier with Node's coverage, totals over packages/*/src, checked against the
// floor in coverage-floor.json. Below the floor: exit 1. Above: the floor is raised in place (commit it), to
// FLOOR_SLACK points under the run so that run-to-run jitter does not fail the next one.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { lcovTotals, ratchet, type CoverageTotals } from './coverage/lcov.ts'

const root = fileURLToPath(new URL('../', import.meta.url))
const floorFile = `${root}coverage-floor.json`
const lcovFile = `${root}.scratch/coverage/lcov.info`
mkdirSync(`${root}.scratch/coverage`, { recursive: true })

const run = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-concurrency=2',
    '--test-timeout=120000',
    '--experimental-test-coverage',
    '--test-coverage-include=packages/*/src/**',
    '--test-reporter=dot',
    '--test-reporter-destination=stdout',
    '--test-reporter=lcov',
    `--test-reporter-destination=${lcovFile}`,
    'packages/*/test/**/!(*.int).test.ts',
    'scripts/test/**/!(*.int).test.ts',
  ],
  { cwd: root, stdio: 'inherit' },
)
if (run.status !== 0) {
  process.stderr.write('test:coverage: the unit tests failed\n')
  process.exit(1)
}

const totals = lcovTotals(readFileSync(lcovFile, 'utf8'), (file) => /packages\/[^/]+\/src\//.test(file))
const floor = JSON.parse(readFileSync(floorFile, 'utf8')) as CoverageTotals
const result = ratchet(floor, totals)
process.stdout.write(
  `coverage of packages/*/src by the unit tier (${totals.files} files): lines ${totals.lines} %, ` +
    `branches ${totals.branches} %, functions ${totals.functions} % (floor: lines ${floor.lines} %, ` +
    `branches ${floor.branches} %, functions ${floor.functions} %)\n`,
)
if (!result.ok) {
  for (const problem of result.problems) process.stderr.write(`test:coverage: ${problem}\n`)
  process.exit(1)
}
if (JSON.stringify(result.floor) !== JSON.stringify(floor)) {
  writeFileSync(floorFile, `${JSON.stringify(result.floor, null, 2)}\n`)
  process.stdout.write('test:coverage: floor raised in coverage-floor.json; commit it\n')
}
