import { randomBytes } from 'node:crypto'
import { chmod, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { KafkaLocalError, KafkaLocalErrorCodes } from '../errors.ts'
import { execCommand, lastLines } from '../exec.ts'
import { BROKER_CERT_DN } from './principals.ts'

export interface TlsMaterial {
  /** PEM certificate of the cluster's own CA: what clients trust. */
  caFile: string
  /** PKCS12 keystore with the broker key and its CA-signed certificate (SAN IP:127.0.0.1, DNS:localhost). */
  keystoreFile: string
  keystorePassword: string
}

const VALIDITY_DAYS = '825'
const CA_DN = 'CN=Isobar local CA'
/** Each call is a short JVM: C1 only and the serial GC start it about twice as fast. */
const QUICK_JVM = ['-J-XX:TieredStopAtLevel=1', '-J-XX:+UseSerialGC', '-J-Xmx64m']

/** keytool next to the java binary we run Kafka with (the JDK ships both), else the one on the PATH. */
export function keytoolFor(java: string): string {
  return java.includes('/') ? join(dirname(java), 'keytool') : 'keytool'
}

/**
 * A self-signed CA and one broker certificate it signs, valid for 127.0.0.1 and localhost (every node listens on
 * 127.0.0.1, so one certificate serves all of them), made with the JDK's keytool. The CA's private key is deleted
 * once the certificate is signed: nothing can issue another certificate this cluster would trust. Files are 0600.
 */
export async function createTlsMaterial(dir: string, java: string): Promise<TlsMaterial> {
  const keytool = keytoolFor(java)
  const caStore = join(dir, 'ca.p12')
  const caFile = join(dir, 'ca.pem')
  const keystoreFile = join(dir, 'broker.p12')
  const csr = join(dir, 'broker.csr')
  const signed = join(dir, 'broker.pem')
  const caPassword = randomBytes(18).toString('hex')
  const keystorePassword = randomBytes(18).toString('hex')
  const ca = ['-keystore', caStore, '-storetype', 'PKCS12', '-storepass', caPassword]
  const broker = ['-keystore', keystoreFile, '-storetype', 'PKCS12', '-storepass', keystorePassword]
  const key = ['-keyalg', 'EC', '-groupname', 'secp256r1', '-validity', VALIDITY_DAYS]
  try {
    // The CA and the broker key are independent: two JVM chains at once.
    await Promise.all([
      (async () => {
        await keytoolRun(keytool, ['-genkeypair', '-alias', 'ca', ...key, '-dname', CA_DN, '-ext', 'bc:c', ...ca])
        await keytoolRun(keytool, ['-exportcert', '-rfc', '-alias', 'ca', '-file', caFile, ...ca])
      })(),
      (async () => {
        await keytoolRun(keytool, ['-genkeypair', '-alias', 'broker', ...key, '-dname', BROKER_CERT_DN, ...broker])
        await keytoolRun(keytool, ['-certreq', '-alias', 'broker', '-file', csr, ...broker])
      })(),
    ])
    await keytoolRun(keytool, [
      '-gencert',
      '-alias',
      'ca',
      '-infile',
      csr,
      '-outfile',
      signed,
      '-rfc',
      '-validity',
      VALIDITY_DAYS,
      '-ext',
      'SAN=ip:127.0.0.1,dns:localhost',
      '-ext',
      'EKU=serverAuth,clientAuth',
      ...ca,
    ])
    // The chain must be complete in the keystore: the CA first (trusted entry), then the signed reply.
    await keytoolRun(keytool, ['-importcert', '-noprompt', '-alias', 'ca', '-file', caFile, ...broker])
    await keytoolRun(keytool, ['-importcert', '-noprompt', '-alias', 'broker', '-file', signed, ...broker])
  } finally {
    await Promise.all([caStore, csr, signed].map((file) => rm(file, { force: true })))
  }
  await chmod(caFile, 0o600)
  await chmod(keystoreFile, 0o600)
  return { caFile, keystoreFile, keystorePassword }
}

async function keytoolRun(keytool: string, args: string[]): Promise<void> {
  let result
  try {
    result = await execCommand(keytool, [...args, ...QUICK_JVM], { timeoutMs: 60_000 })
  } catch (error) {
    throw new KafkaLocalError(
      KafkaLocalErrorCodes.START_FAILED,
      `Cannot run ${keytool} to create the cluster's TLS certificates (it ships with the JDK): ${String(error)}`,
      { cause: error },
    )
  }
  if (result.exitCode !== 0) {
    throw new KafkaLocalError(
      KafkaLocalErrorCodes.START_FAILED,
      `keytool ${args[0]} failed (exit ${result.exitCode}):\n${lastLines(result.stdout + '\n' + result.stderr, 10)}`,
      // The arguments hold keystore passwords: not in the error details.
      { details: { step: args[0] } },
    )
  }
}
