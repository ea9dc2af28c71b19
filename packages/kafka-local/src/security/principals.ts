/**
 * Who may do what on a secured local cluster: one SCRAM principal per Isobar service with the least rights it
 * needs, plus the super users (the brokers' inter-broker login, the controllers' certificate, the admin).
 * docs/security.md has this as a table; keep both in step.
 */
import { TopicNames } from '@isobar/schemas'

/** The SCRAM users created at format time. `broker` is the inter-broker login; the others are clients. */
export const LOCAL_PRINCIPALS = {
  admin: 'admin',
  weather: 'weather-streamer',
  simulator: 'sensor-simulator',
  analytics: 'sensor-analytics',
  registry: 'schema-registry',
} as const

export type LocalPrincipal = keyof typeof LOCAL_PRINCIPALS

export const BROKER_USER = 'broker'
/** Subject of the broker certificate: the principal of controller (mTLS) connections. */
export const BROKER_CERT_DN = 'CN=isobar-broker'

export function isLocalPrincipal(name: string): name is LocalPrincipal {
  return Object.hasOwn(LOCAL_PRINCIPALS, name)
}

/** `super.users`: bypass ACLs entirely. */
export function superUsers(): string[] {
  return [`User:${BROKER_USER}`, `User:${BROKER_CERT_DN}`, `User:${LOCAL_PRINCIPALS.admin}`]
}

export type AclResource = 'topic' | 'group' | 'transactional-id' | 'cluster'
export type AclPattern = 'literal' | 'prefixed'
/** READ and WRITE imply DESCRIBE in Kafka's authorizer, so DESCRIBE is listed only where neither is granted. */
export type AclOperation = 'read' | 'write' | 'create' | 'describe' | 'delete' | 'alter'

export interface AclGrant {
  resource: AclResource
  pattern: AclPattern
  name: string
  operations: readonly AclOperation[]
}

export interface PrincipalAcls {
  principal: LocalPrincipal
  user: string
  grants: readonly AclGrant[]
}

const topic = (pattern: AclPattern, name: string, ...operations: AclOperation[]): AclGrant => ({
  resource: 'topic',
  pattern,
  name,
  operations,
})
const group = (pattern: AclPattern, name: string): AclGrant => ({
  resource: 'group',
  pattern,
  name,
  operations: ['read'],
})

/** Consumers without a group id join a throwaway `isobar-anonymous-<uuid>` group that never commits. */
export const ANONYMOUS_GROUP_PREFIX = 'isobar-anonymous-'

/**
 * The ACLs of each service principal with Isobar's default names (weather.*, sensors.*, the analytics
 * application id `isobar-sensor-analytics`, `_schemas`). CREATE is granted only on topics the service itself
 * creates when missing at start; everything else (deleting topics, altering configs, other services' topics)
 * is the admin's.
 */
export function serviceAcls(): PrincipalAcls[] {
  const analyticsApp = 'isobar-sensor-analytics'
  return [
    {
      principal: 'weather',
      user: LOCAL_PRINCIPALS.weather,
      // weather.observations, weather.alerts, weather.dlq: produced, created at first start.
      grants: [topic('prefixed', 'weather.', 'write', 'create')],
    },
    {
      principal: 'simulator',
      user: LOCAL_PRINCIPALS.simulator,
      grants: [topic('literal', TopicNames.SENSORS_READINGS, 'write')],
    },
    {
      principal: 'analytics',
      user: LOCAL_PRINCIPALS.analytics,
      grants: [
        topic('literal', TopicNames.SENSORS_READINGS, 'read', 'create'),
        topic('literal', TopicNames.SENSORS_ALERT_COMMANDS, 'read', 'create'),
        // sensors.alerts is read back at start to restore the open alerts.
        topic('literal', TopicNames.SENSORS_ALERTS, 'read', 'write', 'create'),
        topic('literal', TopicNames.SENSORS_AGGREGATES, 'write', 'create'),
        topic('literal', TopicNames.SENSORS_DLQ, 'write', 'create'),
        // Internal topics: <app>-panes, <app>-late, <stage>-changelog.
        topic('prefixed', analyticsApp, 'read', 'write', 'create'),
        group('prefixed', analyticsApp),
        group('prefixed', ANONYMOUS_GROUP_PREFIX),
        { resource: 'transactional-id', pattern: 'prefixed', name: analyticsApp, operations: ['write', 'describe'] },
      ],
    },
    {
      principal: 'registry',
      user: LOCAL_PRINCIPALS.registry,
      grants: [
        topic('literal', TopicNames.SCHEMAS, 'read', 'write', 'create'),
        topic('literal', '_schemas_leader', 'read', 'write', 'create'),
        group('prefixed', 'isobar-registry'),
        group('prefixed', ANONYMOUS_GROUP_PREFIX),
      ],
    },
  ]
}
