/** A service's monitoring endpoints on node:http: /metrics (Prometheus text), /health (process up), /ready. */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Registry } from 'prom-client'

export interface MonitoringServer {
  readonly port: number
  close(): Promise<void>
}

export async function startMonitoringServer(options: {
  port: number
  host?: string
  metrics: Registry
  isReady: () => boolean
  /** Extra fields of the /ready body (e.g. why a stage keeps failing). */
  readyDetails?: () => Record<string, unknown>
}): Promise<MonitoringServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method !== 'GET') {
      res.writeHead(405).end()
      return
    }
    if (path === '/metrics') {
      options.metrics.metrics().then(
        (text) => res.writeHead(200, { 'content-type': options.metrics.contentType }).end(text),
        (error: unknown) => res.writeHead(500).end(String(error)),
      )
      return
    }
    if (path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}')
      return
    }
    if (path === '/ready') {
      const ready = options.isReady()
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ ...options.readyDetails?.(), ready }))
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host ?? '127.0.0.1', resolve)
  })
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
