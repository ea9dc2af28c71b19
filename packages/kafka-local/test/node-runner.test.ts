import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { brokerJvmArgs } from '../src/node-runner.ts'

describe('unit: kafka-local node runner', () => {
  it('starts kafka.Kafka with a fixed heap, G1 and the node log4j config', () => {
    const args = brokerJvmArgs({ dir: '/c/node-2', nodeId: 2 }, { java: 'java', libDir: '/lib/4.2.2', heapMb: 512 })
    assert.deepEqual(args.slice(0, 2), ['-Xms512m', '-Xmx512m'])
    assert.ok(args.includes('-XX:+UseG1GC'))
    assert.ok(args.includes('-Dlog4j2.configurationFile=/c/node-2/log4j2.xml'))
    assert.ok(args.includes('-Dkafka.logs.dir=/c/node-2'))
    assert.deepEqual(args.slice(-4), ['-cp', '/lib/4.2.2/*', 'kafka.Kafka', '/c/node-2/server.properties'])
  })

  it('attaches the JMX exporter agent on 127.0.0.1 at basePort + nodeId - 1 when metrics are on', () => {
    const metrics = { agentJar: '/lib/jmx/agent.jar', configFile: '/repo/deploy/jmx/kafka.yml', basePort: 7071 }
    const args = brokerJvmArgs({ dir: '/c/node-2', nodeId: 2 }, { java: 'java', libDir: '/l', heapMb: 512, metrics })
    assert.equal(args[0], '-javaagent:/lib/jmx/agent.jar=127.0.0.1:7072:/repo/deploy/jmx/kafka.yml')
    const plain = brokerJvmArgs({ dir: '/c/node-2', nodeId: 2 }, { java: 'java', libDir: '/l', heapMb: 512 })
    assert.ok(!plain.some((a) => a.startsWith('-javaagent')))
  })
})
