import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { MemorySchemaLog, Registry, buildRegistryApp } from '@isobar/registry'
import { runIsobar } from '@isobar/testing'

// The real registry server over an in-memory log: the CLI only talks HTTP to it. Integration tier: it runs the
// CLI as a process a dozen times (seconds each on a loaded machine), though no Kafka.
const registry = new Registry(new MemorySchemaLog(), { timeoutMs: 2000 })
const app = buildRegistryApp({ registry })
let env: NodeJS.ProcessEnv

before(async () => {
  await registry.start()
  env = { SCHEMA_REGISTRY_URL: await app.listen({ port: 0, host: '127.0.0.1' }) }
})
after(() => app.close())

const isobar = async (args: string[], input?: string) => {
  const result = await runIsobar(['schemas', ...args], { env, timeoutMs: 30_000, ...(input ? { input } : {}) })
  return { ...result, json: () => JSON.parse(result.stdout) as unknown }
}

describe('isobar schemas', () => {
  it('registers the catalogue, lists, gets, checks, configures and deletes', async () => {
    const registered = await isobar(['register', '--catalogue', '--topic', 'weather.observations', '--json'])
    assert.equal(registered.exitCode, 0, registered.stderr)
    assert.deepEqual(registered.json(), [{ subject: 'weather.observations-value', ids: [1, 2] }])

    const list = await isobar(['list', '--json'])
    assert.deepEqual(list.json(), [{ subject: 'weather.observations-value', versions: [1, 2] }])

    const get = await isobar(['get', 'weather.observations-value', '--version', '1', '--json'])
    assert.equal((get.json() as { id: number }).id, 1)
    const byId = await isobar(['get', '--id', '2'])
    assert.match(byId.stdout, /^id 2 \(JSON\)\n\{\n {2}"\$schema"/)

    const config = await isobar(['config', 'weather.observations-value', '--json'])
    assert.equal((config.json() as { compatibilityLevel: string }).compatibilityLevel, 'BACKWARD_TRANSITIVE')

    const incompatible = JSON.stringify({ type: 'object', properties: { x: { type: 'string' } }, required: ['x'] })
    const check = await isobar(['check', 'weather.observations-value', '-', '--json'], incompatible)
    assert.equal(check.exitCode, 1)
    assert.equal((check.json() as { isCompatible: boolean }).isCompatible, false)
    const refused = await isobar(['register', 'weather.observations-value', '-'], incompatible)
    assert.equal(refused.exitCode, 1)
    assert.match(refused.stderr, /^isobar: schema registry POST .*incompatible/)

    const file = join(tmpdir(), `isobar-schema-${process.pid}.json`)
    await writeFile(file, JSON.stringify({ type: 'string' }))
    const plain = await isobar(['register', 'free-value', file])
    assert.equal(plain.stdout, 'Registered free-value version 1 (id 3)\n')
    const set = await isobar(['config', 'free-value', '--set', 'none', '--json'])
    assert.equal((set.json() as { compatibilityLevel: string }).compatibilityLevel, 'NONE')
    const deleted = await isobar(['delete', 'free-value', '--json'])
    assert.deepEqual(deleted.json(), { subject: 'free-value', deleted: [1], permanent: false })
    const gone = await isobar(['get', 'free-value'])
    assert.equal(gone.exitCode, 1)
    assert.match(gone.stderr, /not found/)
  })

  it('reports usage errors with exit code 2 and an unreachable registry in one line', async () => {
    const usage = await isobar(['get', '--version', 'x', 'weather.observations-value'])
    assert.equal(usage.exitCode, 2)
    const down = await runIsobar(['schemas', 'list'], { env: { SCHEMA_REGISTRY_URL: 'http://127.0.0.1:1' } })
    assert.equal(down.exitCode, 1)
    assert.match(down.stderr, /^isobar: schema registry GET \/subjects: not reachable at http:\/\/127\.0\.0\.1:1/)
  })
})
