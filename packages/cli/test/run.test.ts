import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { runIsobar } from '@isobar/testing'

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

test('isobar --version prints the package version; no arguments prints the commands with exit code 2', async () => {
  for (const flag of ['--version', '-V']) {
    const result = await runIsobar([flag])
    assert.equal(result.exitCode, 0)
    assert.equal(result.stdout, `isobar ${manifest.version} (Node ${process.version})\n`)
  }
  const bare = await runIsobar([])
  assert.equal(bare.exitCode, 2)
  assert.match(bare.stdout, /^Usage: isobar <command>/)
  const unknown = await runIsobar(['frobnicate'])
  assert.equal(unknown.exitCode, 2)
  assert.equal(unknown.stderr, 'isobar: unknown command "frobnicate" (run `isobar --help` for the list)\n')
})
