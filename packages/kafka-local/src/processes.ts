import { readdirSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createConnection, createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

export { sleep }

/** True if a process with this pid exists and has not exited (a killed child not yet reaped still has a pid). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
  } catch {
    // ESRCH: gone. EPERM: it exists but belongs to another user, so it is not a JVM we started either.
    return false
  }
  const state = procStat(pid)
  if (state !== 'Z' && state !== 'X') return true
  // A killed JVM's main thread turns zombie first while its other threads still tear down and hold the sockets:
  // it is gone only when no other thread is left.
  return threadCount(pid) > 1
}

function threadCount(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/task`).length
  } catch {
    return 0
  }
}

/**
 * True if `pid` is alive and (where /proc exists) its command line contains `marker`, e.g. the node's
 * server.properties path. Pids are recycled: after a reboot, the pid in a stale cluster.json may belong to an
 * unrelated process that we must neither report as Kafka nor signal.
 */
export function isOwnProcess(pid: number, marker: string): boolean {
  if (!isPidAlive(pid)) return false
  let cmdline: string
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
  } catch {
    return true // no procfs (macOS): liveness is all we can know
  }
  return cmdline.split('\0').some((arg) => arg.includes(marker))
}

/**
 * The pid on the first line of a pid file (Mosquitto's, PostgreSQL's postmaster.pid, the Connect worker's), if
 * that process is alive and ours (its command line contains `marker`); undefined otherwise.
 */
export async function ownPidFromFile(file: string, marker: string): Promise<number | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined)
  const pid = Number(text?.split('\n')[0]?.trim())
  return Number.isInteger(pid) && pid > 0 && isOwnProcess(pid, marker) ? pid : undefined
}

function procStat(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // "pid (comm) S ...": comm may contain spaces and parentheses, the state follows the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]
  } catch {
    return undefined
  }
}

export function signalPid(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal)
    return true
  } catch {
    return false
  }
}

/** Waits until none of the pids is alive; returns those still alive at the deadline. */
export async function waitForExit(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs
  let alive = pids.filter(isPidAlive)
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(100)
    alive = alive.filter(isPidAlive)
  }
  return alive
}

/**
 * SIGTERM (Kafka's shutdown hook: controlled shutdown, clean log close; or another `signal`) to all pids at once,
 * SIGKILL for those still alive after `timeoutMs`. Together matters for 3 nodes: one by one, the last nodes lose
 * their quorum and hang in controlled shutdown.
 */
export async function terminatePids(
  pids: readonly number[],
  timeoutMs: number,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  for (const pid of pids) signalPid(pid, signal)
  const survivors = await waitForExit(pids, timeoutMs)
  for (const pid of survivors) signalPid(pid, 'SIGKILL')
  await waitForExit(survivors, 5_000)
}

/** True if something accepts TCP connections on 127.0.0.1:port. */
export function canConnect(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    const done = (result: boolean) => {
      socket.destroy()
      resolve(result)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/**
 * True if 127.0.0.1:port can be bound right now. Binding is the real test: a port held by a listener on 0.0.0.0
 * or by an IPv6 socket (the JVM binds `::ffff:127.0.0.1`) fails here exactly as it would fail for the broker.
 */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)))
  })
}

/** Waits until every port can be bound (the kernel releases a killed JVM's sockets a moment after it dies). */
export async function waitForPortsFree(ports: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const busy: number[] = []
    for (const port of ports) if (!(await isPortFree(port))) busy.push(port)
    if (busy.length === 0 || Date.now() > deadline) return busy
    await sleep(200)
  }
}
