import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AlertEvent } from '@isobar/alerts'

export function alertEvent(overrides: Partial<AlertEvent> = {}): AlertEvent {
  return {
    alertId: 'a-1',
    ruleId: 'temperature-high',
    entityId: 'sim:s01.z2.temperature-00042',
    state: 'firing',
    change: 'fired',
    severity: 'critical',
    field: 'temperature',
    value: 41.5,
    threshold: 40,
    message: 'temperature 41.5 above 40',
    eventTimeMs: Date.UTC(2026, 11, 4, 12, 0, 0),
    raisedAtMs: Date.now(),
    firingSinceMs: Date.UTC(2026, 11, 4, 12, 0, 0),
    flapping: false,
    notify: true,
    ...overrides,
  }
}

export interface ReceivedRequest {
  url: string
  headers: IncomingMessage['headers']
  body: string
}

/** A local HTTP receiver on 127.0.0.1 (ephemeral port) that records every request and answers with `respond`. */
export async function startReceiver(
  respond: (request: ReceivedRequest, index: number) => number | 'hang-up',
): Promise<{ url: string; requests: ReceivedRequest[]; close(): Promise<void> }> {
  const requests: ReceivedRequest[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const request = { url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }
      requests.push(request)
      const answer = respond(request, requests.length - 1)
      if (answer === 'hang-up') req.socket.destroy()
      else res.writeHead(answer, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Polls until `check` returns true (bounded; never a fixed sleep as the assertion). */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
