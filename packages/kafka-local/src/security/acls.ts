import { readFileSync } from 'node:fs'
import {
  AclOperations,
  AclPermissionTypes,
  Admin,
  ResourcePatternTypes,
  ResourceTypes,
  type Acl,
} from '@platformatic/kafka'
import { KafkaLocalError, KafkaLocalErrorCodes } from '../errors.ts'
import { sleep } from '../processes.ts'
import type { KafkaClientCredentials } from './credentials.ts'
import type { AclGrant, PrincipalAcls } from './principals.ts'

const RESOURCE = {
  topic: ResourceTypes.TOPIC,
  group: ResourceTypes.GROUP,
  'transactional-id': ResourceTypes.TRANSACTIONAL_ID,
  cluster: ResourceTypes.CLUSTER,
} as const
const PATTERN = { literal: ResourcePatternTypes.LITERAL, prefixed: ResourcePatternTypes.PREFIXED } as const
const OPERATION = {
  read: AclOperations.READ,
  write: AclOperations.WRITE,
  create: AclOperations.CREATE,
  describe: AclOperations.DESCRIBE,
  delete: AclOperations.DELETE,
  alter: AclOperations.ALTER,
} as const

/** The Kafka ACL bindings of every grant (ALLOW, any host). */
export function aclBindings(principals: readonly PrincipalAcls[]): Acl[] {
  return principals.flatMap(({ user, grants }) => grants.flatMap((grant) => bindings(`User:${user}`, grant)))
}

function bindings(principal: string, grant: AclGrant): Acl[] {
  return grant.operations.map((operation) => ({
    resourceType: RESOURCE[grant.resource],
    resourceName: grant.resource === 'cluster' ? 'kafka-cluster' : grant.name,
    resourcePatternType: PATTERN[grant.pattern],
    principal,
    host: '*',
    operation: OPERATION[operation],
    permissionType: AclPermissionTypes.ALLOW,
  }))
}

/**
 * Creates the ACLs as the admin (a super user). Creating an existing binding is a no-op, so this runs on every
 * fresh start and brings an older cluster up to this version's list. Retries for a while: right after the start a
 * broker may not yet know the SCRAM users or the controller.
 */
export async function applyAcls(
  bootstrapServers: readonly string[],
  admin: KafkaClientCredentials,
  principals: readonly PrincipalAcls[],
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  const creations = aclBindings(principals)
  for (;;) {
    const client = new Admin({
      clientId: 'isobar-kafka-local-acls',
      bootstrapBrokers: [...bootstrapServers],
      tls: { ca: readFileSync(admin.caFile), rejectUnauthorized: true },
      sasl: { mechanism: admin.mechanism, username: admin.username, password: admin.password },
      retries: 2,
      retryDelay: 250,
    })
    try {
      await client.createAcls({ creations })
      return
    } catch (error) {
      if (Date.now() > deadline) {
        throw new KafkaLocalError(
          KafkaLocalErrorCodes.START_FAILED,
          `Could not create the ACLs of the secured local Kafka within ${timeoutMs} ms: ${String(error)}`,
          { cause: error },
        )
      }
    } finally {
      await client.close().catch(() => {})
    }
    await sleep(500)
  }
}
