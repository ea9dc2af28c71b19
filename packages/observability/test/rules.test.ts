import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { REPO_ROOT, runProcess } from '@isobar/testing'
import { findBinary } from '@isobar/observability'
import { parse } from 'yaml'

const RULES_DIR = join(REPO_ROOT, 'deploy', 'prometheus', 'rules')
const TESTS_DIR = join(REPO_ROOT, 'deploy', 'prometheus', 'tests')

async function yamlFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.yml')).map((f) => join(dir, f))
}

test('promtool check rules accepts every rule file', async () => {
  const files = await yamlFiles(RULES_DIR)
  const result = await runProcess(await findBinary('promtool'), ['check', 'rules', ...files])
  assert.equal(result.exitCode, 0, result.stdout + result.stderr)
  assert.equal((result.stdout.match(/SUCCESS/g) ?? []).length, files.length)
})

test('promtool test rules: every unit test passes', async () => {
  const files = await yamlFiles(TESTS_DIR)
  const result = await runProcess(await findBinary('promtool'), ['test', 'rules', ...files])
  assert.equal(result.exitCode, 0, result.stdout + result.stderr)
  assert.doesNotMatch(result.stdout + result.stderr, /FAILED/)
})

test('every alert has a unit test that expects it to fire', async () => {
  const alerts = new Set<string>()
  for (const file of await yamlFiles(RULES_DIR)) {
    const doc = parse(await readFile(file, 'utf8')) as { groups: { rules: { alert?: string }[] }[] }
    for (const rule of doc.groups.flatMap((g) => g.rules)) if (rule.alert) alerts.add(rule.alert)
  }
  const fired = new Set<string>()
  for (const file of await yamlFiles(TESTS_DIR)) {
    const doc = parse(await readFile(file, 'utf8')) as {
      tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[]
    }
    for (const t of doc.tests)
      for (const a of t.alert_rule_test ?? []) if (a.exp_alerts.length > 0) fired.add(a.alertname)
  }
  assert.ok(alerts.size >= 15, `only ${alerts.size} alerts found`)
  assert.deepEqual(
    [...alerts].filter((a) => !fired.has(a)),
    [],
  )
})

test('amtool check-config accepts the shipped Alertmanager configuration', async () => {
  const result = await runProcess(await findBinary('amtool'), ['check-config', 'deploy/alertmanager/alertmanager.yml'])
  assert.equal(result.exitCode, 0, result.stdout + result.stderr)
  assert.match(result.stdout, /SUCCESS/)
})
