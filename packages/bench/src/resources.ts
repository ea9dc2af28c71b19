import type { ResourceUsage } from './types.ts'

/** Samples this process's CPU time and RSS over one measured phase (the Java tools run in child processes). */
export function startResourceMeter(): { stop(): ResourceUsage } {
  const cpuStart = process.cpuUsage()
  const wallStart = performance.now()
  let peakRss = process.memoryUsage.rss()
  // rss() is a cheap syscall; 50 ms is fine-grained enough for a phase lasting seconds.
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss())
  }, 50)
  timer.unref()
  return {
    stop() {
      clearInterval(timer)
      peakRss = Math.max(peakRss, process.memoryUsage.rss())
      const cpu = process.cpuUsage(cpuStart)
      const cpuSeconds = (cpu.user + cpu.system) / 1e6
      const wallSeconds = (performance.now() - wallStart) / 1000
      return {
        cpuSeconds: round(cpuSeconds, 3),
        cpuCores: round(wallSeconds > 0 ? cpuSeconds / wallSeconds : 0, 2),
        peakRssMiB: round(peakRss / 1048576, 1),
      }
    },
  }
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
