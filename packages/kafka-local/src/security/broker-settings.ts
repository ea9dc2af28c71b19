import type { BrokerConfigValue, NodeLayout } from '../config.ts'
import { brokerJaasConfig, type ClusterSecrets } from './credentials.ts'
import { superUsers } from './principals.ts'

const HOST = '127.0.0.1'

/**
 * server.properties entries of a secured node. Clients and brokers share one SASL_SSL listener (SCRAM-SHA-512 over
 * TLS; SCRAM credentials come from `kafka-storage format --add-scram`, so the very first start is secure). The
 * controller listener is TLS with client certificates: SCRAM cannot authenticate controllers (the credentials live
 * in the metadata log they serve), and the brokers' certificate is the only one the cluster's CA ever signed.
 * StandardAuthorizer with deny by default; the brokers, the controllers and `admin` are super users.
 */
export function secureBrokerSettings(node: NodeLayout, secrets: ClusterSecrets): Record<string, BrokerConfigValue> {
  const listeners = `SASL_SSL://${HOST}:${node.port},CONTROLLER://${HOST}:${node.controllerPort}`
  return {
    listeners,
    'advertised.listeners': listeners,
    'inter.broker.listener.name': 'SASL_SSL',
    'listener.security.protocol.map': 'CONTROLLER:SSL,SASL_SSL:SASL_SSL',
    'sasl.enabled.mechanisms': secrets.mechanism,
    'sasl.mechanism.inter.broker.protocol': secrets.mechanism,
    [`listener.name.sasl_ssl.${secrets.mechanism.toLowerCase()}.sasl.jaas.config`]: brokerJaasConfig(secrets),
    'listener.name.controller.ssl.client.auth': 'required',
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': secrets.keystoreFile,
    'ssl.keystore.password': secrets.keystorePassword,
    'ssl.key.password': secrets.keystorePassword,
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': secrets.caFile,
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'super.users': superUsers().join(';'),
    'allow.everyone.if.no.acl.found': false,
  }
}
