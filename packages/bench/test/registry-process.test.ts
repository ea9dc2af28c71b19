import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { SchemaRegistryClient } from '@isobar/core'
import { REPO_ROOT } from '@isobar/testing'
import { startRegistryProcess } from '../src/registry-process.ts'

test("a bench's registry is the registry's main.ts in memory: it serves, and close() ends its process", async () => {
  const registry = await startRegistryProcess(join(REPO_ROOT, 'packages', 'registry', 'src', 'main.ts'))
  try {
    const client = new SchemaRegistryClient({ url: registry.url, timeoutMs: 5000 })
    const id = await client.register('bench-test-value', { schema: { type: 'object' } })
    assert.ok(id > 0)
    assert.equal((await client.getVersion('bench-test-value')).id, id)
  } finally {
    await registry.close()
  }
  await assert.rejects(fetch(`${registry.url}/health`, { signal: AbortSignal.timeout(2000) }))
})
