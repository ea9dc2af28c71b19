import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { test } from 'node:test'
import { REPO_ROOT, runIsobar, testBootstrapServers } from '@isobar/testing'
import { alertsTopic, readAll, weatherTopics } from './kafka-helpers.ts'

const MAIN = join(REPO_ROOT, 'packages', 'weather-streamer', 'src', 'main.ts')

test('the service serves /metrics, /health, /ready and on SIGTERM flushes everything and exits 0', async (t) => {
  const topics = weatherTopics(t)
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      KAFKA_BOOTSTRAP_SERVERS: testBootstrapServers(),
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      WEATHER_CONFIG: JSON.stringify({
        sources: ['sim'],
        topics: { ...topics, partitions: 2 },
        alerts: { topic: alertsTopic(t) },
        sim: { stations: 20, rate: 2000 },
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const kill = setTimeout(() => child.kill('SIGKILL'), 45_000)
  t.after(() => clearTimeout(kill))
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
      const match = /"port":(\d+)/.exec(stderr)
      if (match && stderr.includes('weather streamer started')) resolve(Number(match[1]))
    })
    child.once('exit', () => reject(new Error(`exited early: ${stderr}`)))
  })
  const base = `http://127.0.0.1:${port}`
  assert.equal((await fetch(`${base}/health`)).status, 200)
  assert.equal((await fetch(`${base}/ready`)).status, 200)
  let metrics = ''
  const deadline = Date.now() + 30_000 // bounded poll: the first delivery takes longer on a loaded machine
  while (Date.now() < deadline && !/isobar_weather_records_delivered_total\{source="sim"/.test(metrics)) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    metrics = await (await fetch(`${base}/metrics`)).text()
  }
  assert.match(metrics, /isobar_weather_delivery_latency_seconds_bucket/)
  assert.match(metrics, /isobar_weather_records_produced_total\{source="sim"/)

  const exitCode = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  child.kill('SIGTERM')
  assert.equal(await exitCode, 0, stderr)
  const { summary } = JSON.parse(stdout.trim().split('\n').at(-1)!)
  assert.equal(summary[0].source, 'sim')
  assert.equal(summary[0].state, 'stopped')
  assert.ok(summary[0].delivered > 0)
  assert.equal(summary[0].delivered, summary[0].produced, 'SIGTERM loses nothing that was produced')
  assert.equal((await readAll(topics.observations)).length, summary[0].delivered)
})

test('isobar weather run produces for a duration and prints a summary per source; sources lists them', async (t) => {
  const topics = weatherTopics(t)
  const result = await runIsobar(
    [
      'weather',
      'run',
      '--sources',
      'sim,replay',
      '--stations',
      '5',
      '--rate',
      '500',
      '--speedup',
      '100',
      '--duration',
      '1',
    ].concat([
      '--topic',
      topics.observations,
      '--dlq-topic',
      topics.deadLetter,
      '--alerts-topic',
      alertsTopic(t),
      '--partitions',
      '2',
      '--json',
    ]),
    { timeoutMs: 45_000 },
  )
  assert.equal(result.exitCode, 0, result.stderr)
  const { summary } = JSON.parse(result.stdout) as { summary: Array<{ source: string; delivered: number }> }
  const bySource = Object.fromEntries(summary.map((s) => [s.source, s]))
  assert.ok(bySource.sim!.delivered > 0)
  assert.ok(bySource.replay!.delivered > 0, 'replay at 100 days/s delivers rows within a second')
  const total = summary.reduce((n, s) => n + s.delivered, 0)
  assert.equal((await readAll(topics.observations)).length, total)

  const listed = await runIsobar(['weather', 'sources', '--json'])
  assert.deepEqual(
    (JSON.parse(listed.stdout) as Array<{ name: string }>).map((s) => s.name),
    ['sim', 'metar', 'replay', 'openmeteo'],
  )
  const bad = await runIsobar(['weather', 'run', '--sources', 'sim,nope'])
  assert.equal(bad.exitCode, 2)
  assert.match(bad.stderr, /unknown source/)
  // A configuration the service itself refuses is a usage error too: one line, exit code 2.
  const refused = await runIsobar(['weather', 'run', '--sources', 'metar'])
  assert.equal(refused.exitCode, 2, refused.stderr)
  assert.equal(
    refused.stderr.trim(),
    'isobar: weather run: the metar source needs an input (file, "-" for stdin, or URL)',
  )
})

test('isobar weather run runs the service as its own process: Ctrl-C flushes it and the summary loses nothing', async (t) => {
  const topics = weatherTopics(t)
  const cli = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'packages', 'cli', 'bin', 'isobar.js'),
      ...['weather', 'run', '--sources', 'sim', '--stations', '4', '--rate', '200', '--partitions', '2'],
      ...['--topic', topics.observations, '--dlq-topic', topics.deadLetter, '--no-alerts', '--json'],
    ],
    { env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: testBootstrapServers() }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const kill = setTimeout(() => cli.kill('SIGINT'), 90_000)
  t.after(() => {
    clearTimeout(kill)
    if (cli.exitCode === null) cli.kill('SIGINT') // the CLI stops the service it started
  })
  let stdout = ''
  let stderr = ''
  cli.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  cli.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const exitCode = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)))
  const deadline = Date.now() + 60_000
  const delivered = () =>
    readAll(topics.observations).then(
      (records) => records.length,
      () => 0,
    ) // not created yet
  while (Date.now() < deadline && (await delivered()) === 0) {
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  cli.kill('SIGINT')
  assert.equal(await exitCode, 0, stderr)
  const { summary } = JSON.parse(stdout) as { summary: Array<{ source: string; produced: number; delivered: number }> }
  assert.equal(summary[0]!.source, 'sim')
  assert.ok(summary[0]!.delivered > 0)
  assert.equal(summary[0]!.delivered, summary[0]!.produced, 'Ctrl-C loses nothing that was produced')
  assert.equal((await readAll(topics.observations)).length, summary[0]!.delivered)
})
