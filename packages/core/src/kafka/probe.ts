import { connect } from 'node:net'
import { KafkaUnreachableError } from '../errors.ts'

/**
 * Fails fast (one TCP connect per bootstrap server, bounded) when no broker listens, so commands print a clear
 * error within seconds instead of waiting on the client's retries.
 */
export async function assertKafkaReachable(bootstrapServers: readonly string[], timeoutMs = 3000): Promise<void> {
  const attempts = bootstrapServers.map((server) => tcpProbe(server, timeoutMs))
  const results = await Promise.all(attempts)
  if (!results.some((ok) => ok)) throw new KafkaUnreachableError(bootstrapServers)
}

export function tcpProbe(server: string, timeoutMs: number): Promise<boolean> {
  const separator = server.lastIndexOf(':')
  const host = server.slice(0, separator).replace(/^\[|\]$/g, '')
  const port = Number(server.slice(separator + 1))
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}
