/**
 * A throwaway Schema Registry for a bench run: the registry's own main.ts as a process (services are imported by
 * nothing), with ISOBAR_REGISTRY_STORE=memory — no Kafka, nothing kept — on a free 127.0.0.1 port.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from './free-port.ts'

export interface RegistryProcess {
  url: string
  /** Stops the registry (SIGTERM, SIGKILL after 10 s) and waits for its process to end. */
  close(): Promise<void>
}

/** Starts `script` (packages/registry/src/main.ts) and resolves once its /health answers. */
export async function startRegistryProcess(script: string, readyTimeoutMs = 30_000): Promise<RegistryProcess> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, [script], {
    env: {
      ...process.env,
      ISOBAR_REGISTRY_STORE: 'memory',
      ISOBAR_REGISTRY_HOST: '127.0.0.1',
      ISOBAR_REGISTRY_PORT: String(port),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)))
  const exited = once(child, 'exit')
  let ended = false
  void exited.then(() => (ended = true))
  const close = async (): Promise<void> => {
    if (ended) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
  const deadline = Date.now() + readyTimeoutMs
  while (!ended && Date.now() < deadline) {
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) }).then(
      (response) => response.ok,
      () => false,
    )
    if (ok) return { url, close }
    await sleep(100)
  }
  await close()
  throw new Error(`the in-memory Schema Registry did not start: ${stderr.trim().split('\n').at(-1) ?? 'no output'}`)
}
