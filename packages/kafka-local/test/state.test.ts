import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { isKafkaLocalError, KafkaLocalErrorCodes } from '../src/errors.ts'
import { acquireStartLock, clusterDir, readMetaProperties } from '../src/state.ts'

const scratch = mkdtempSync(join(tmpdir(), 'kafka-local-state-'))
after(() => rmSync(scratch, { recursive: true, force: true }))

describe('unit: kafka-local state', () => {
  it('keeps each named cluster under <homeDir>/kafka/<name> and rejects unsafe names', () => {
    assert.equal(clusterDir('/home/me/.isobar', 'dev'), '/home/me/.isobar/kafka/dev')
    for (const name of ['../x', '', 'a/b', '.hidden']) {
      assert.throws(
        () => clusterDir('/h', name),
        (error) => isKafkaLocalError(error, KafkaLocalErrorCodes.INVALID_OPTION),
      )
    }
  })

  it('reads meta.properties', async () => {
    const dir = mkdtempSync(join(scratch, 'meta-'))
    writeFileSync(
      join(dir, 'meta.properties'),
      '#\n#Wed Nov 25 20:29:18 UTC 2026\nnode.id=1\ndirectory.id=p30apUoYSTGvSJ43SzqfVg\nversion=1\ncluster.id=fDXi_kZcTwyRpADGb5xQwg\n',
    )
    assert.deepEqual(await readMetaProperties(dir), {
      'node.id': '1',
      'directory.id': 'p30apUoYSTGvSJ43SzqfVg',
      version: '1',
      'cluster.id': 'fDXi_kZcTwyRpADGb5xQwg',
    })
    assert.equal(await readMetaProperties(join(dir, 'missing')), undefined)
  })

  it('serializes starts with a lock file and breaks the lock of a dead owner', async () => {
    const dir = mkdtempSync(join(scratch, 'lock-'))
    const release = await acquireStartLock(dir, 1_000)
    await assert.rejects(acquireStartLock(dir, 300), (error) =>
      isKafkaLocalError(error, KafkaLocalErrorCodes.START_TIMEOUT),
    )
    await release()
    assert.equal(existsSync(join(dir, 'start.lock')), false)

    writeFileSync(join(dir, 'start.lock'), '2147483646') // no such pid
    const again = await acquireStartLock(dir, 1_000)
    await again()
  })
})
