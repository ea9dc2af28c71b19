import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { isKafkaLocalError, KafkaLocalErrorCodes } from '../src/errors.ts'
import { isKafkaToolName, KAFKA_TOOLS, kafkaToolCommand, kafkaToolMainClass, runKafkaTool } from '../src/tools.ts'

const scratch = mkdtempSync(join(tmpdir(), 'kafka-local-tools-'))
after(() => rmSync(scratch, { recursive: true, force: true }))

function libDir(name: string, jars: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(scratch, `${name}-`))
  for (const [file, content] of Object.entries(jars)) writeFileSync(join(dir, file), content)
  return dir
}

describe('unit: kafka-local tools', () => {
  it('maps every tool to a main class', () => {
    assert.equal(KAFKA_TOOLS['kafka-topics'], 'org.apache.kafka.tools.TopicCommand')
    assert.equal(KAFKA_TOOLS['kafka-storage'], 'kafka.tools.StorageTool')
    assert.equal(KAFKA_TOOLS['kafka-configs'], 'kafka.admin.ConfigCommand')
    assert.ok(isKafkaToolName('kafka-metadata-quorum'))
    assert.equal(isKafkaToolName('toString'), false)
  })

  it('builds a shell-free java command for an admin tool', () => {
    const dir = libDir('admin')
    const { command, args } = kafkaToolCommand('kafka-topics', ['--list', '--bootstrap-server', 'h:1'], {
      libDir: dir,
    })
    assert.equal(command, 'java')
    assert.deepEqual(args.slice(0, 3), ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'])
    assert.ok(args.includes(`-Dlog4j2.configurationFile=${join(dir, 'log4j2-tools.xml')}`))
    const cp = args.indexOf('-cp')
    assert.equal(args[cp + 1], `${dir}/*`, 'the * reaches the JVM literally')
    assert.deepEqual(args.slice(cp + 2), ['org.apache.kafka.tools.TopicCommand', '--list', '--bootstrap-server', 'h:1'])
    assert.match(readFileSync(join(dir, 'log4j2-tools.xml'), 'utf8'), /SYSTEM_ERR/)
  })

  it('keeps C2 and the default GC for perf tools, with a larger heap', () => {
    const { args } = kafkaToolCommand('kafka-producer-perf-test', [], { libDir: libDir('perf') })
    assert.ok(args.includes('-Xmx512m'))
    assert.ok(!args.some((arg) => arg.startsWith('-XX:TieredStopAtLevel') || arg === '-XX:+UseSerialGC'))
    assert.ok(args.includes('org.apache.kafka.tools.ProducerPerformance'))
  })

  it('honours heapMb and java', () => {
    const { command, args } = kafkaToolCommand('kafka-cluster', ['cluster-id'], {
      libDir: libDir('opts'),
      heapMb: 128,
      java: '/opt/jdk/bin/java',
    })
    assert.equal(command, '/opt/jdk/bin/java')
    assert.equal(args[0], '-Xmx128m')
  })

  it('picks the relocated ConfigCommand and DumpLogSegments when the kafka-tools jar has them', () => {
    const old = libDir('old', { 'kafka-tools-4.2.2.jar': 'PK org/apache/kafka/tools/TopicCommand.class' })
    assert.equal(kafkaToolMainClass('kafka-configs', old), 'kafka.admin.ConfigCommand')
    assert.equal(kafkaToolMainClass('kafka-dump-log', old), 'kafka.tools.DumpLogSegments')
    const newer = libDir('new', {
      // kafka-tools-api must not count: only kafka-tools-<version>.jar holds the CLI classes.
      'kafka-tools-api-4.4.0.jar': 'PK org/apache/kafka/tools/DumpLogSegments.class',
      'kafka-tools-4.4.0.jar': 'PK org/apache/kafka/tools/ConfigCommand.class',
    })
    assert.equal(kafkaToolMainClass('kafka-configs', newer), 'org.apache.kafka.tools.ConfigCommand')
    assert.equal(kafkaToolMainClass('kafka-dump-log', newer), 'kafka.tools.DumpLogSegments')
  })

  it('rejects an unknown tool and lists the valid names', () => {
    assert.throws(
      () => kafkaToolCommand('kafka-topix', [], { libDir: scratch }),
      (error) =>
        isKafkaLocalError(error, KafkaLocalErrorCodes.UNKNOWN_TOOL) &&
        error.message.includes('kafka-topics') &&
        error.message.includes('kafka-dump-log'),
    )
  })

  it('reports a missing java through the JAVA_MISSING hint', async () => {
    await assert.rejects(
      runKafkaTool('kafka-topics', ['--list'], { libDir: libDir('nojava'), java: join(scratch, 'no-such-java') }),
      (error) => isKafkaLocalError(error, KafkaLocalErrorCodes.JAVA_MISSING),
    )
  })
})
