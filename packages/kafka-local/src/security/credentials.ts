import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { escapePropertyValue } from '../config.ts'
import { KafkaLocalError, KafkaLocalErrorCodes } from '../errors.ts'
import { BROKER_USER, LOCAL_PRINCIPALS, type LocalPrincipal } from './principals.ts'
import { createTlsMaterial } from './tls.ts'

export const SCRAM_MECHANISM = 'SCRAM-SHA-512'
const SECURITY_DIR = 'security'
const SECRETS_FILE = 'secrets.json'
const CLIENTS_DIR = 'clients'

/** What a client needs to reach a secured local cluster as one principal. */
export interface KafkaClientCredentials {
  principal: LocalPrincipal
  username: string
  password: string
  mechanism: typeof SCRAM_MECHANISM
  /** PEM CA certificate to trust. */
  caFile: string
  /** Java client properties (security.protocol, sasl.*, ssl.truststore.*) for Kafka's own tools. 0600. */
  propertiesFile: string
}

/** Everything the brokers need, kept in `<clusterDir>/security/secrets.json` (0600, dir 0700). */
export interface ClusterSecrets {
  mechanism: typeof SCRAM_MECHANISM
  caFile: string
  keystoreFile: string
  keystorePassword: string
  brokerPassword: string
  /** Client principal → password. */
  passwords: Record<LocalPrincipal, string>
}

export function securityDir(clusterDir: string): string {
  return join(clusterDir, SECURITY_DIR)
}

/** Written by createTlsMaterial. */
export function caFile(clusterDir: string): string {
  return join(securityDir(clusterDir), 'ca.pem')
}

export function clientPropertiesFile(clusterDir: string, principal: LocalPrincipal): string {
  return join(securityDir(clusterDir), CLIENTS_DIR, `${principal}.properties`)
}

/** Hex only: no character a JAAS string, a properties file or SCRAM's SASLprep would treat specially. */
function newPassword(): string {
  return randomBytes(24).toString('hex')
}

/**
 * New CA, broker certificate and passwords for every principal, replacing any previous ones (called when the
 * storage is formatted, since the SCRAM credentials live in the metadata log from then on).
 */
export async function createClusterSecrets(clusterDir: string, java: string): Promise<ClusterSecrets> {
  const dir = securityDir(clusterDir)
  await rm(dir, { recursive: true, force: true })
  await mkdir(join(dir, CLIENTS_DIR), { recursive: true, mode: 0o700 })
  await chmod(dir, 0o700)
  const tls = await createTlsMaterial(dir, java)
  const passwords = Object.fromEntries(
    Object.keys(LOCAL_PRINCIPALS).map((principal) => [principal, newPassword()]),
  ) as Record<LocalPrincipal, string>
  const secrets: ClusterSecrets = { mechanism: SCRAM_MECHANISM, ...tls, brokerPassword: newPassword(), passwords }
  await writePrivate(join(dir, SECRETS_FILE), JSON.stringify(secrets, null, 2) + '\n')
  for (const principal of Object.keys(LOCAL_PRINCIPALS) as LocalPrincipal[]) {
    await writePrivate(clientPropertiesFile(clusterDir, principal), clientProperties(secrets, principal))
  }
  return secrets
}

export async function readClusterSecrets(clusterDir: string): Promise<ClusterSecrets | undefined> {
  try {
    const value = JSON.parse(await readFile(join(securityDir(clusterDir), SECRETS_FILE), 'utf8')) as ClusterSecrets
    return typeof value.brokerPassword === 'string' && typeof value.passwords === 'object' ? value : undefined
  } catch {
    return undefined
  }
}

async function writePrivate(file: string, text: string): Promise<void> {
  await writeFile(file, text, { mode: 0o600 })
  await chmod(file, 0o600) // mode applies only when the file is created
}

function jaas(username: string, password: string): string {
  return `org.apache.kafka.common.security.scram.ScramLoginModule required username="${username}" password="${password}";`
}

/** The inter-broker login of the SASL_SSL listener. */
export function brokerJaasConfig(secrets: ClusterSecrets): string {
  return jaas(BROKER_USER, secrets.brokerPassword)
}

/** `kafka-storage format --add-scram` values: every principal exists before the first start. */
export function addScramArgs(secrets: ClusterSecrets): string[] {
  const users: [string, string][] = [
    [BROKER_USER, secrets.brokerPassword],
    ...(Object.entries(secrets.passwords) as [LocalPrincipal, string][]).map(
      ([principal, password]): [string, string] => [LOCAL_PRINCIPALS[principal], password],
    ),
  ]
  return users.flatMap(([name, password]) => ['--add-scram', `${SCRAM_MECHANISM}=[name=${name},password=${password}]`])
}

function clientProperties(secrets: ClusterSecrets, principal: LocalPrincipal): string {
  const settings = {
    'security.protocol': 'SASL_SSL',
    'sasl.mechanism': SCRAM_MECHANISM,
    'sasl.jaas.config': jaas(LOCAL_PRINCIPALS[principal], secrets.passwords[principal]),
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': secrets.caFile,
  }
  const lines = Object.entries(settings).map(([key, value]) => `${key}=${escapePropertyValue(value)}`)
  return `# Kafka client settings of principal ${LOCAL_PRINCIPALS[principal]} (generated by @isobar/kafka-local)\n${lines.join('\n')}\n`
}

/**
 * Reads one principal's credentials from its client properties file (synchronous: a CLI calls it while building
 * its config). NOT_RUNNING-style error if the cluster has no security material.
 */
export function readClientCredentials(clusterDir: string, principal: LocalPrincipal): KafkaClientCredentials {
  const propertiesFile = clientPropertiesFile(clusterDir, principal)
  let text: string
  try {
    text = readFileSync(propertiesFile, 'latin1')
  } catch (error) {
    throw new KafkaLocalError(
      KafkaLocalErrorCodes.INVALID_OPTION,
      `No credentials for principal "${principal}" in ${securityDir(clusterDir)}: the local cluster is not secured`,
      { cause: error },
    )
  }
  const login = /username="([^"]+)" password="([^"]+)"/.exec(text)
  if (login?.[1] === undefined || login[2] === undefined) {
    throw new KafkaLocalError(KafkaLocalErrorCodes.INVALID_OPTION, `Unreadable credentials file ${propertiesFile}`)
  }
  return {
    principal,
    username: login[1],
    password: login[2],
    mechanism: SCRAM_MECHANISM,
    caFile: caFile(clusterDir),
    propertiesFile,
  }
}
