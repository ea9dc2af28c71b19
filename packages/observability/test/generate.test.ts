import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { REPO_ROOT, runProcess } from '@isobar/testing'
import { findBinary, generatedFiles, prometheusConfig, SCRAPE_JOBS } from '@isobar/observability'

test('every generated monitoring file is committed as generated (run `npm run gen:monitoring` if not)', async () => {
  const files = generatedFiles()
  assert.ok(files.length >= 2)
  for (const file of files) {
    const committed = await readFile(join(REPO_ROOT, file.path), 'utf8').catch(() => '<missing>')
    assert.equal(committed, file.content, `${file.path} is stale: run npm run gen:monitoring`)
  }
})

test('native and compose configs scrape the same jobs, natively only 127.0.0.1', () => {
  const native = prometheusConfig('native') as {
    scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[]
  }
  const compose = prometheusConfig('compose') as typeof native
  assert.deepEqual(
    native.scrape_configs.map((c) => c.job_name),
    compose.scrape_configs.map((c) => c.job_name),
  )
  assert.deepEqual(
    native.scrape_configs.map((c) => c.job_name),
    SCRAPE_JOBS.map((j) => j.job),
  )
  for (const c of native.scrape_configs) {
    for (const target of c.static_configs.flatMap((s) => s.targets)) assert.match(target, /^127\.0\.0\.1:\d+$/)
  }
})

test('promtool check config accepts both generated configs and their rule files', async () => {
  const promtool = await findBinary('promtool')
  for (const variant of ['native', 'compose']) {
    const result = await runProcess(promtool, ['check', 'config', `deploy/prometheus/prometheus.${variant}.yml`])
    assert.equal(result.exitCode, 0, result.stdout + result.stderr)
    assert.match(result.stdout, /SUCCESS: 3 rule files found/)
  }
})
