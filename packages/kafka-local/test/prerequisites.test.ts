import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { isKafkaLocalError, KafkaLocalErrorCodes } from '../src/errors.ts'
import { checkJava, checkMaven, compareVersions, parseJavaVersion, parseMavenVersion } from '../src/prerequisites.ts'

const scratch = mkdtempSync(join(tmpdir(), 'kafka-local-prereq-'))
after(() => rmSync(scratch, { recursive: true, force: true }))

/** A fake executable printing `output` on stderr, like `java -version` does. */
function fakeCommand(name: string, output: string): string {
  const file = join(scratch, name)
  writeFileSync(file, `#!/bin/sh\ncat >&2 <<'OUT'\n${output}\nOUT\n`)
  chmodSync(file, 0o755)
  return file
}

describe('unit: kafka-local prerequisites', () => {
  it('parses java -version output of every era', () => {
    const cases: [string, number][] = [
      ['openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)', 17],
      ['java version "1.8.0_292"\nJava(TM) SE Runtime Environment', 8],
      ['openjdk version "11.0.2" 2019-01-15', 11],
      ['openjdk version "21" 2023-09-19', 21],
      ['openjdk version "25-ea" 2025-09-16', 25],
      ['Picked up JAVA_TOOL_OPTIONS: -Xss1m\nopenjdk version "21.0.4" 2024-07-16 LTS', 21],
    ]
    for (const [output, major] of cases) assert.equal(parseJavaVersion(output)?.major, major, output)
    assert.equal(parseJavaVersion('bash: java: command not found'), undefined)
  })

  it('parses mvn -v output with ANSI colours', () => {
    assert.equal(
      parseMavenVersion('\u001b[1mApache Maven 3.8.7\u001b[m\nMaven home: /usr/share/maven')?.version,
      '3.8.7',
    )
    assert.equal(parseMavenVersion('nope'), undefined)
    assert.ok(compareVersions('3.6.3', '3.8.7') < 0)
    assert.ok(compareVersions('3.10.0', '3.8.7') > 0)
    assert.equal(compareVersions('3.6.3', '3.6.3'), 0)
  })

  it('accepts Java 17', async () => {
    const java = fakeCommand('java17', 'openjdk version "17.0.15" 2025-04-15')
    assert.deepEqual(await checkJava({ java }), { major: 17, version: '17.0.15' })
  })

  it('rejects Java 11 with one line saying what to install', async () => {
    const java = fakeCommand('java11', 'openjdk version "11.0.2" 2019-01-15')
    await assert.rejects(checkJava({ java }), (error) => {
      assert.ok(isKafkaLocalError(error, KafkaLocalErrorCodes.JAVA_MISSING))
      assert.match(error.message, /^Java 17\+ is required to run the local Kafka \(found 11\)\. Install it/)
      assert.match(error.message, /openjdk-17-jre-headless/)
      assert.match(error.message, /KAFKA_BOOTSTRAP_SERVERS/)
      assert.equal(error.message.includes('\n'), false)
      return true
    })
  })

  it('reports a java that is not installed', async () => {
    await assert.rejects(checkJava({ java: join(scratch, 'missing-java') }), (error) => {
      assert.ok(isKafkaLocalError(error, KafkaLocalErrorCodes.JAVA_MISSING))
      assert.match(error.message, /not found/)
      return true
    })
  })

  it('rejects a missing or old Maven', async () => {
    await assert.rejects(checkMaven({ mvn: join(scratch, 'missing-mvn') }), (error) =>
      isKafkaLocalError(error, KafkaLocalErrorCodes.MAVEN_MISSING),
    )
    const mvn = fakeCommand('mvn35', 'Apache Maven 3.5.4 (1edded0938998edf8bf061f1ceb3cfdeccf443fe)')
    await assert.rejects(checkMaven({ mvn }), (error) => {
      assert.ok(isKafkaLocalError(error, KafkaLocalErrorCodes.MAVEN_MISSING))
      assert.match(error.message, /found 3\.5\.4.*apt-get install maven/)
      return true
    })
  })
})
