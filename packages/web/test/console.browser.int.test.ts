/**
 * The console in a real browser (Debian's chromium driven by playwright-core, never a downloaded browser)
 * against the real stack: log in, live windows in the fleet and sensor views, an injected breach in the alerts
 * feed, acknowledged from the page; a topic created, produced to, browsed and deleted; a group's lag; a
 * schema's compatibility; a topic config edited and partitions added; produce through the schema form; an offset
 * reset previewed; the cluster view; a dead letter re-published. Screenshots of the main views go to .scratch/screenshots.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { DLQ_HEADERS, SchemaRegistryClient } from '@isobar/core'
import { createTestTopic, REPO_ROOT, uniqueTopicName } from '@isobar/testing'
import { chromium, type Page } from 'playwright-core'
import { TOKEN, startStack, waitFor } from './stack.ts'

const CHROMIUM = '/usr/bin/chromium'
const SHOTS = join(REPO_ROOT, '.scratch', 'screenshots')
const WAIT = 90_000

const STATION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['stationId', 'temperatureC'],
  properties: {
    stationId: { type: 'string', minLength: 1 },
    temperatureC: { type: 'number', minimum: -90, maximum: 60 },
    kind: { type: 'string', enum: ['metar', 'sim'] },
  },
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
}

test(
  'the console in a browser: live telemetry, alerts, topics, messages, groups and schemas',
  { timeout: 420_000 },
  async (t) => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it)`)
    assert.ok(
      existsSync(join(REPO_ROOT, 'packages/web/dist/index.html')),
      'packages/web/dist is missing: npm test builds it first (npm run build)',
    )
    await mkdir(SHOTS, { recursive: true })
    const stack = await startStack(t)
    const base = stack.console.url

    const profile = await mkdtemp(join(tmpdir(), 'isobar-chromium-'))
    t.after(() => rm(profile, { recursive: true, force: true }))
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    })
    t.after(() => context.close())
    const page = context.pages()[0] ?? (await context.newPage())
    page.setDefaultTimeout(WAIT)
    const consoleErrors: string[] = []
    // Refusals the test provokes on purpose (status, path end): Chrome logs each as a failed resource.
    const provoked: Array<[number, string]> = []
    page.on('console', (message) => {
      if (message.type() !== 'error') return
      // Chrome logs the 401 of the session probe before sign-in as a failed resource; that is the expected answer.
      if (/status of 401/.test(message.text()) && message.location().url.endsWith('/api/session')) return
      // Playwright evaluates the test's own expressions with eval in the page; under the console's CSP (no
      // 'unsafe-eval') Chrome can report that as a refusal without a source URL (seen once, on a loaded machine).
      // The console's own scripts always have a URL, so a refusal of theirs is still an error here.
      if (message.location().url === '' && /'script-src' was not explicitly set|unsafe-eval/.test(message.text()))
        return
      const expected = provoked.findIndex(
        ([status, path]) => message.text().includes(`status of ${status}`) && message.location().url.endsWith(path),
      )
      if (expected >= 0) {
        provoked.splice(expected, 1)
        return
      }
      consoleErrors.push(`${message.text()} @ ${message.location().url}`)
    })
    page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`))

    await t.test('login: a wrong token is explained, the right one opens the fleet view', async () => {
      await page.goto(base)
      await page.getByLabel('API token').fill('not-the-token')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor()
      assert.equal(page.url().includes('not-the-token'), false)
      await shot(page, '01-login')
      await page.getByLabel('API token').fill(TOKEN)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByRole('heading', { name: 'Fleet' }).waitFor()
      assert.equal(page.url().includes(TOKEN), false, 'the token never goes into a URL')
      const cookies = await context.cookies()
      const session = cookies.find((c) => c.name === 'isobar_session')
      assert.ok(session?.httpOnly, 'an HttpOnly session cookie')
    })

    await t.test('live aggregates arrive in the fleet view and the sensor charts', async () => {
      await page
        .getByTestId('fleet-stats')
        .filter({ hasText: /4\s*sensors/ })
        .waitFor({ timeout: WAIT })
      await page.getByRole('link', { name: 's01.z1' }).click()
      await page.getByRole('heading', { name: 'Zone s01.z1' }).waitFor()
      await page.getByRole('link', { name: 'mote:1' }).first().click()
      await page.getByRole('heading', { name: /Sensor mote:1/ }).waitFor()
      assert.match(page.url(), /\/sensors\/mote(:|%3A)1$/)
      // Windows keep arriving: the count of windows shown grows while the page is open.
      const count = async () =>
        Number(/(\d+) windows\./.exec((await page.locator('main').textContent()) ?? '')?.[1] ?? 0)
      const first = await waitFor(
        'windows on the sensor page',
        async () => ((await count()) > 0 ? count() : undefined),
        WAIT,
      )
      await waitFor('more windows, live', async () => ((await count()) > first ? true : undefined), WAIT)
      assert.ok((await page.locator('.chart canvas').count()) >= 2, 'charts are drawn')
      await shot(page, '03-sensor')
      await page.getByRole('link', { name: 'Fleet' }).first().click()
      await shot(page, '02-fleet')
    })

    await t.test('an injected breach shows in the alerts feed; acknowledging it changes its state', async () => {
      stack.breach.add('mote:2')
      await page.getByRole('link', { name: 'Alerts' }).click()
      const row = page.locator('tr[data-alert="temperature-high+mote:2"]')
      await row.filter({ hasText: 'firing' }).waitFor({ timeout: WAIT })
      await shot(page, '04-alerts-firing')
      await row.getByRole('button', { name: /Acknowledge/ }).click()
      await row.getByTestId('alert-status').filter({ hasText: 'acknowledged by console' }).waitFor({ timeout: WAIT })
      await shot(page, '05-alerts-acknowledged')
      await row.getByRole('button', { name: /Silence/ }).click()
      await row.getByTestId('alert-status').filter({ hasText: 'silenced until' }).waitFor({ timeout: WAIT })
      stack.breach.delete('mote:2')
    })

    await t.test('weather stations: the latest observation and its trend, live', async () => {
      await page.getByRole('link', { name: 'Weather' }).click()
      const producer = stack.kafka.producer()
      const observation = (i: number) => ({
        topic: stack.topics.observations,
        key: Buffer.from('metar:KSEA'),
        value: Buffer.from(
          JSON.stringify({
            stationId: 'metar:KSEA',
            source: 'metar',
            name: 'Seattle-Tacoma',
            latitude: 47.45,
            longitude: -122.31,
            eventTimeMs: Date.now() - (5 - i) * 60_000,
            temperatureC: 8 + i,
            pressurePa: 101_300 - i * 50,
            windSpeedMps: 3 + i,
          }),
        ),
      })
      try {
        const stations = page.getByTestId('stations')
        await waitFor('the station row', async () => {
          await producer.send([0, 1, 2, 3, 4].map(observation))
          return (await stations.count()) > 0 && ((await stations.textContent()) ?? '').includes('12.0')
            ? true
            : undefined
        })
      } finally {
        await producer.close()
      }
      assert.match((await page.getByTestId('stations').textContent()) ?? '', /Seattle-Tacoma/)
      assert.ok((await page.locator('svg.spark').count()) >= 3, 'sparklines of temperature, pressure and wind')
      await shot(page, '10-weather')
    })

    const topic = uniqueTopicName('web-browser')
    await t.test('create a topic, produce a message with the form, find it decoded', async () => {
      await page.getByRole('link', { name: 'Topics' }).click()
      await page.getByLabel('Name').fill(topic)
      await page.getByLabel('Partitions').fill('2')
      await page.getByRole('button', { name: 'Create topic' }).click()
      await page.getByRole('heading', { name: topic }).waitFor()
      await page.getByTestId('partitions').locator('tbody tr').nth(1).waitFor()
      await page.getByRole('link', { name: 'produce' }).click()
      await page.getByLabel('Key', { exact: true }).fill('station-42')
      await page.getByLabel('Partition').selectOption('1')
      await page.getByLabel('Value', { exact: true }).fill('{"hello": "from the browser", "n": 7}')
      await page.getByRole('button', { name: 'Produce' }).click()
      await page.getByRole('status').filter({ hasText: 'Produced to partition 1 at offset 0' }).waitFor()
      await page.getByRole('link', { name: 'messages' }).click()
      await page.getByLabel('Partition').selectOption('1')
      await page.getByRole('button', { name: 'Read' }).click()
      const messages = page.getByTestId('messages')
      await messages.filter({ hasText: '"hello": "from the browser"' }).waitFor()
      assert.match((await messages.textContent()) ?? '', /station-42/)
      await messages.getByRole('button', { name: 'Raw' }).first().click()
      assert.match((await messages.textContent()) ?? '', /7b 22 68 65 6c 6c 6f/, 'raw hex of {"hello')
      await shot(page, '06-messages')
    })

    await t.test('produce through the schema form: checked in the browser, sent registry-framed', async () => {
      const registry = new SchemaRegistryClient({ url: stack.registry.url, timeoutMs: 10_000 })
      const id = await registry.register(`${topic}-value`, { schema: JSON.stringify(STATION_SCHEMA) })
      await page.getByRole('link', { name: 'produce' }).click()
      await page
        .getByTestId('value-schema')
        .filter({ hasText: `${topic}-value v1 (id ${id})` })
        .waitFor()
      await page.getByLabel('Partition').selectOption('0')
      await page.locator('input[name="field-stationId"]').fill('metar:KSEA')
      await page.locator('input[name="field-temperatureC"]').fill('99')
      await page.getByRole('button', { name: 'Produce' }).click()
      await page.getByTestId('value-problems').filter({ hasText: 'temperatureC must be ≤ 60' }).waitFor()
      await page.locator('input[name="field-temperatureC"]').fill('8.5')
      await page.locator('select[name="field-kind"]').selectOption('metar')
      await page.getByRole('button', { name: 'Produce' }).click()
      await page
        .getByRole('status')
        .filter({ hasText: `Produced to partition 0 at offset 0 (registry-framed, schema id ${id})` })
        .waitFor()
      await shot(page, '11-produce-schema')
      await page.getByRole('link', { name: 'messages' }).click()
      await page.getByLabel('Partition').selectOption('0')
      await page.getByRole('button', { name: 'Read' }).click()
      const messages = page.getByTestId('messages')
      await messages.filter({ hasText: '"stationId": "metar:KSEA"' }).waitFor()
      assert.match((await messages.textContent()) ?? '', new RegExp(`id ${id}`))
    })

    await t.test('edit a topic config (a bad value explained by the broker), then add partitions', async () => {
      await page.getByRole('link', { name: 'configs' }).click()
      const row = page.locator('tr[data-config="retention.ms"]')
      await row.getByRole('button', { name: 'Edit retention.ms' }).click()
      await row.getByLabel('New value of retention.ms').fill('soon')
      provoked.push([400, `/api/topics/${topic}/configs`])
      await row.getByRole('button', { name: 'Save' }).click()
      await row.getByRole('alert').filter({ hasText: 'Invalid value soon for configuration retention.ms' }).waitFor()
      await row.getByLabel('New value of retention.ms').fill('7200000')
      await row.getByRole('button', { name: 'Save' }).click()
      await row.filter({ hasText: '7200000' }).filter({ hasText: 'override' }).waitFor()
      await shot(page, '12-topic-configs')
      await page.getByRole('link', { name: 'overview' }).click()
      await page.getByTestId('partitions').locator('tbody tr').nth(1).waitFor()
      await page.getByLabel('Total partitions').fill('3')
      await page.getByRole('button', { name: 'Add partitions' }).click()
      await page.getByTestId('partitions').locator('tbody tr').nth(2).waitFor()
      assert.equal(await page.getByTestId('partitions').locator('tbody tr').count(), 3)
    })

    await t.test('delete the topic after confirming its name', async () => {
      await page.getByRole('button', { name: 'Delete topic…' }).click()
      await page.getByLabel('confirm name').fill(topic)
      await page.getByRole('button', { name: 'Delete topic', exact: true }).click()
      await page.getByRole('heading', { name: 'Topics' }).waitFor()
      await waitFor('the topic to be gone', async () => {
        const admin = stack.kafka.admin()
        const names = await admin.listTopics().finally(() => admin.close())
        return names.includes(topic) ? undefined : true
      })
    })

    await t.test('a consumer group shows its lag per partition and its status', async () => {
      await page.goto(`${base}/groups`)
      await page.getByRole('link', { name: stack.appId, exact: true }).click()
      const lag = page.getByTestId('group-lag')
      await lag.locator('tbody tr').first().waitFor({ timeout: WAIT })
      assert.match((await lag.textContent()) ?? '', new RegExp(stack.topics.readings))
      await page.getByText('total lag').waitFor()
      await shot(page, '07-group')
    })

    await t.test('an offset reset is previewed (dry run) and refused in words while the group is active', async () => {
      const reset = page.getByRole('form', { name: 'Reset offsets' })
      await reset.locator('input[name="reset-topic"]').fill(stack.topics.readings)
      await reset.locator('select[name="reset-to"]').selectOption('earliest')
      await reset.getByRole('button', { name: 'Preview' }).click()
      const plan = page.getByTestId('reset-plan')
      await plan.filter({ hasText: 'Preview (dry run, nothing changed)' }).waitFor()
      assert.match((await plan.textContent()) ?? '', /active member/)
      assert.equal(await plan.locator('tbody tr').count(), 2, 'one row per partition of the readings topic')
      assert.match((await plan.locator('tbody tr').first().textContent()) ?? '', /(\d+|–) → 0/)
      await shot(page, '13-offset-reset-preview')
      provoked.push([409, `/api/groups/${stack.appId}/offsets/reset`])
      await reset.getByRole('button', { name: 'Apply reset' }).click()
      await page.getByRole('alert').filter({ hasText: 'stop its consumers first' }).waitFor()
    })

    await t.test('the cluster view shows the brokers and the KRaft quorum', async () => {
      await page.getByRole('link', { name: 'Cluster' }).click()
      await page.getByTestId('brokers').locator('tbody tr').first().waitFor()
      await page.getByTestId('quorum').filter({ hasText: 'leader (active controller)' }).waitFor()
      await page.getByTestId('quorum-voters').locator('tbody tr').filter({ hasText: 'leader' }).waitFor()
      await page.getByTestId('broker-configs').locator('tbody tr').nth(10).waitFor()
      await shot(page, '14-cluster')
    })

    await t.test('dead letters are selected and re-published to their source topic', async () => {
      const source = await createTestTopic(t, { partitions: 1, prefix: 'web-replay-source' })
      const dlq = await createTestTopic(t, { partitions: 1, prefix: 'web-replay-dlq' })
      const producer = stack.kafka.producer()
      await producer
        .send([
          {
            topic: dlq,
            key: Buffer.from('mote:9'),
            value: Buffer.from('{"temperature": 21}'),
            headers: {
              [DLQ_HEADERS.originalTopic]: Buffer.from(source),
              [DLQ_HEADERS.errorCode]: Buffer.from('ISOBAR_SERDE_SCHEMA_VIOLATION'),
              [DLQ_HEADERS.errorMessage]: Buffer.from('missing sensorId'),
            },
          },
        ])
        .finally(() => producer.close())
      await page.goto(`${base}/topics/${dlq}?tab=messages`)
      await page.locator('select[name="seek"]').selectOption('earliest')
      await page.getByRole('button', { name: 'Read' }).click()
      await page.getByLabel('Select dead letter 0@0').check()
      await page.getByRole('button', { name: 'Preview re-publish' }).click()
      const results = page.getByTestId('replay-results')
      await results.filter({ hasText: 'would send' }).waitFor()
      await page.getByRole('button', { name: 'Re-publish selected' }).click()
      await results.filter({ hasText: 'Re-published 1 of 1' }).waitFor()
      await shot(page, '15-dlq-replay')
      const admin = stack.kafka.admin()
      const back = await admin
        .readRecords({ topic: source, partition: 0, from: 'earliest', limit: 5 })
        .finally(() => admin.close())
      assert.deepEqual(
        back.records.map((r) => [r.key?.toString(), r.headers['isobar.dlq.replayed.from']?.toString()]),
        [['mote:9', `${dlq}/0/0`]],
      )
    })

    await t.test("a schema's compatibility is checked from the registry view", async () => {
      const subject = `${stack.topics.aggregates}-value`
      await page.goto(`${base}/schemas/${encodeURIComponent(subject)}`)
      await page.getByRole('heading', { name: subject }).waitFor()
      await page.getByRole('button', { name: 'Check compatibility' }).click()
      await page.getByTestId('compat-result').filter({ hasText: 'Compatible' }).waitFor()
      // A candidate that drops a required field is refused, with the reason.
      await page
        .getByLabel('candidate schema')
        .fill('{"type": "object", "properties": {"sensorId": {"type": "integer"}}}')
      await page.getByRole('button', { name: 'Check compatibility' }).click()
      await page.getByTestId('compat-result').filter({ hasText: 'Not compatible' }).waitFor()
      await shot(page, '08-schema')
    })

    await t.test('dark and light, narrow window', async () => {
      await page.goto(`${base}/`)
      const before = await page.evaluate<string>('document.documentElement.dataset.theme')
      const other = before === 'dark' ? 'light' : 'dark'
      await page.getByRole('button', { name: `Switch to ${other} theme` }).click()
      await page.waitForFunction(`document.documentElement.dataset.theme === '${other}'`)
      await page.getByRole('button', { name: `Switch to ${before} theme` }).waitFor()
      await page.setViewportSize({ width: 420, height: 900 })
      await page.getByRole('heading', { name: 'Fleet' }).waitFor()
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')
      assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px at 420px`)
      await shot(page, `09-fleet-${other}-narrow`)
    })

    await context.close()
    assert.deepEqual(consoleErrors, [], 'no errors in the browser console')
  },
)
