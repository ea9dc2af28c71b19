import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AclOperations, ResourcePatternTypes, ResourceTypes } from '@platformatic/kafka'
import { clusterLayout, serverProperties } from '../../src/config.ts'
import { aclBindings } from '../../src/security/acls.ts'
import { secureBrokerSettings } from '../../src/security/broker-settings.ts'
import { addScramArgs, type ClusterSecrets } from '../../src/security/credentials.ts'
import { LOCAL_PRINCIPALS, serviceAcls, superUsers } from '../../src/security/principals.ts'

const secrets: ClusterSecrets = {
  mechanism: 'SCRAM-SHA-512',
  caFile: '/c/security/ca.pem',
  keystoreFile: '/c/security/broker.p12',
  keystorePassword: 'ks',
  brokerPassword: 'bp',
  passwords: { admin: 'a', weather: 'w', simulator: 's', analytics: 'n', registry: 'r' },
}

function properties(text: string): Map<string, string> {
  return new Map(
    text
      .split('\n')
      .filter((line) => line.includes('=') && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  )
}

describe('secured local cluster settings', () => {
  it('replaces the PLAINTEXT listeners with SASL_SSL for clients and brokers and mTLS for controllers', () => {
    const layout = clusterLayout('/c', 3, 19092)
    const node = layout[1]!
    const props = properties(serverProperties(layout, 2, {}, secureBrokerSettings(node, secrets)))
    assert.equal(props.get('listeners'), 'SASL_SSL://127.0.0.1:19094,CONTROLLER://127.0.0.1:19095')
    assert.equal(props.get('listener.security.protocol.map'), 'CONTROLLER:SSL,SASL_SSL:SASL_SSL')
    assert.equal(props.get('inter.broker.listener.name'), 'SASL_SSL')
    assert.equal(props.get('sasl.mechanism.inter.broker.protocol'), 'SCRAM-SHA-512')
    assert.equal(props.get('listener.name.controller.ssl.client.auth'), 'required')
    assert.match(
      props.get('listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config') ?? '',
      /username="broker" password="bp"/,
    )
    assert.equal(props.get('authorizer.class.name'), 'org.apache.kafka.metadata.authorizer.StandardAuthorizer')
    assert.equal(props.get('allow.everyone.if.no.acl.found'), 'false')
    assert.equal(props.get('super.users'), 'User:broker;User:CN=isobar-broker;User:admin')
    assert.ok(![...props.values()].some((value) => value.includes('PLAINTEXT')))
  })

  it('creates every SCRAM user at format time, the broker first', () => {
    const args = addScramArgs(secrets)
    assert.equal(args.filter((arg) => arg === '--add-scram').length, 1 + Object.keys(LOCAL_PRINCIPALS).length)
    assert.equal(args[1], 'SCRAM-SHA-512=[name=broker,password=bp]')
    assert.ok(args.includes('SCRAM-SHA-512=[name=weather-streamer,password=w]'))
  })

  it('grants services only their own resources and never a cluster right or DELETE/ALTER', () => {
    const bindings = aclBindings(serviceAcls())
    assert.ok(bindings.length > 0)
    for (const binding of bindings) {
      assert.notEqual(binding.resourceType, ResourceTypes.CLUSTER)
      assert.ok(![AclOperations.DELETE, AclOperations.ALTER, AclOperations.ALL].includes(binding.operation as 6))
      assert.notEqual(binding.principal, `User:${LOCAL_PRINCIPALS.admin}`)
    }
    const weather = bindings.filter((b) => b.principal === 'User:weather-streamer')
    assert.deepEqual(
      weather.map((b) => [b.resourceName, b.resourcePatternType, b.operation]),
      [
        ['weather.', ResourcePatternTypes.PREFIXED, AclOperations.WRITE],
        ['weather.', ResourcePatternTypes.PREFIXED, AclOperations.CREATE],
      ],
    )
    const analyticsTxn = bindings.filter(
      (b) => b.principal === 'User:sensor-analytics' && b.resourceType === ResourceTypes.TRANSACTIONAL_ID,
    )
    assert.deepEqual(
      analyticsTxn.map((b) => b.resourceName),
      ['isobar-sensor-analytics', 'isobar-sensor-analytics'],
    )
    assert.ok(superUsers().includes('User:admin'))
  })
})
