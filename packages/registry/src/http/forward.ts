/**
 * Followers forward writes (register, deletes, config and mode changes) to the leader over HTTP and relay its
 * answer. A forwarded request is marked so that the receiver handles it itself, never forwarding again (no
 * loops when two instances briefly disagree on the leader; writes stay safe because the log arbitrates).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { RegistryError, RegistryErrorCodes } from '../errors.ts'
import { V1_JSON } from './protocol.ts'

/** Who the writer is, as the election currently sees it. */
export interface Leadership {
  isLeader(): boolean
  /** Base URL of the leader (e.g. `http://10.0.0.5:8081`), undefined while unknown. */
  leaderUrl(): string | undefined
}

export const FORWARDED_HEADER = 'x-isobar-forwarded'

export interface Forwarder {
  /** Relays the request to the leader and answers with its reply; false when this instance must handle it. */
  maybeForward(request: FastifyRequest, reply: FastifyReply): Promise<boolean>
}

export function createForwarder(
  leadership: Leadership | undefined,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): Forwarder {
  return {
    async maybeForward(request, reply) {
      if (!leadership || leadership.isLeader() || request.headers[FORWARDED_HEADER] !== undefined) return false
      const leader = leadership.leaderUrl()
      if (leader === undefined) {
        throw new RegistryError(RegistryErrorCodes.UNKNOWN_LEADER, 'Leader not known; retry shortly')
      }
      let response: Response
      let text: string
      try {
        const headers: Record<string, string> = { accept: request.responseType, [FORWARDED_HEADER]: '1' }
        // With basic auth on, the leader checks the same credentials again.
        if (request.headers.authorization !== undefined) headers.authorization = request.headers.authorization
        const init: RequestInit = { method: request.method, headers, signal: AbortSignal.timeout(timeoutMs) }
        if (request.body !== undefined) {
          headers['content-type'] = V1_JSON
          init.body = JSON.stringify(request.body)
        }
        response = await fetchImpl(new URL(request.url, leader), init)
        text = await response.text()
      } catch (error) {
        throw new RegistryError(
          RegistryErrorCodes.FORWARD_FAILED,
          `Error while forwarding the request to the leader ${leader}: ${(error as Error).message}`,
          { cause: error },
        )
      }
      await reply
        .code(response.status)
        .type(response.headers.get('content-type') ?? request.responseType)
        .send(text)
      return true
    },
  }
}
