import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { isKafkaLocalError, KafkaLocalErrorCodes } from '../src/errors.ts'
import { DEFAULT_KAFKA_VERSION, ensureKafkaJars, JARS_MARKER_FILE, log4j2VersionFor } from '../src/jars.ts'

const scratch = mkdtempSync(join(tmpdir(), 'kafka-local-jars-'))
after(() => rmSync(scratch, { recursive: true, force: true }))

describe('unit: kafka-local jars', () => {
  it('pairs each Kafka minor with its log4j2 version and has a default', () => {
    assert.equal(DEFAULT_KAFKA_VERSION, '4.2.2')
    assert.equal(log4j2VersionFor('4.2.2'), '2.25.4')
    assert.equal(log4j2VersionFor('4.4.0'), '2.25.5')
    assert.equal(log4j2VersionFor('9.9.9'), '2.25.4')
  })

  it('returns a marked lib dir at once, without Maven', async () => {
    const libRoot = join(scratch, 'marked')
    mkdirSync(join(libRoot, '4.2.2'), { recursive: true })
    writeFileSync(join(libRoot, '4.2.2', JARS_MARKER_FILE), '{}')
    const libDir = await ensureKafkaJars({ libRoot, mvn: join(scratch, 'no-such-mvn') })
    assert.equal(libDir, join(libRoot, '4.2.2'))
  })

  it('needs Maven for a lib dir without the marker (a half-filled dir does not count)', async () => {
    const libRoot = join(scratch, 'unmarked')
    mkdirSync(join(libRoot, '4.2.2'), { recursive: true })
    writeFileSync(join(libRoot, '4.2.2', 'kafka_2.13-4.2.2.jar'), '')
    await assert.rejects(ensureKafkaJars({ libRoot, mvn: join(scratch, 'no-such-mvn') }), (error) =>
      isKafkaLocalError(error, KafkaLocalErrorCodes.MAVEN_MISSING),
    )
  })

  it('rejects versions that are not plain release numbers', async () => {
    for (const kafkaVersion of ['../4.2.2', '4.2', 'latest']) {
      await assert.rejects(ensureKafkaJars({ kafkaVersion, libRoot: scratch }), (error) =>
        isKafkaLocalError(error, KafkaLocalErrorCodes.INVALID_OPTION),
      )
    }
  })
})
