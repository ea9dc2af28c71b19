import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { describe, it } from 'node:test'
import { DLQ_HEADERS } from '@isobar/core'
import { TOPICS } from '@isobar/schemas'
import { REPO_ROOT } from '@isobar/testing'

const doc = await readFile(`${REPO_ROOT}/docs/topics.md`, 'utf8')

describe('docs/topics.md', () => {
  it('has a row per catalogue topic with its subject, partitions, retention and owner', () => {
    for (const spec of TOPICS) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${spec.topic}\` |`))
      assert.ok(row, `no row for ${spec.topic}`)
      const cells = row.split('|').map((c) => c.trim())
      if (spec.valueSubject) assert.equal(cells[3], `\`${spec.valueSubject}\``, spec.topic)
      else assert.ok(cells[3]?.startsWith('—'), spec.topic)
      assert.equal(cells[5], String(spec.partitions), spec.topic)
      const retention = spec.retentionMs < 0 ? 'compacted, forever' : `${spec.retentionMs / 86_400_000} days`
      assert.equal(cells[6], retention, spec.topic)
      assert.ok(cells[7]?.startsWith(spec.owner.split(' ')[0] ?? ''), spec.topic)
      // "SensorReading v1, v2, v3": one version per catalogued schema (a parenthetical note does not count).
      const versions = (cells[4] ?? '').replace(/\(.*\)/, '').match(/\bv\d+\b/g) ?? []
      assert.deepEqual(
        versions,
        spec.schemas.map((_, i) => `v${i + 1}`),
        `${spec.topic} schema versions`,
      )
    }
  })

  it('documents every dead-letter header', () => {
    for (const name of Object.values(DLQ_HEADERS))
      assert.match(doc, new RegExp(`\\| \`${name.replaceAll('.', '\\.')}\` \\|`))
  })
})
