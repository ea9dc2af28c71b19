/** The few Prometheus text-format reads the soak needs (no client library for one gauge). */

/** The value of an unlabelled sample (`name 123`) or the sum over its labelled series; undefined when absent. */
export function metricValue(text: string, name: string): number | undefined {
  let found = false
  let sum = 0
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue
    const rest = line.slice(name.length)
    if (rest[0] !== ' ' && rest[0] !== '{') continue
    const value = Number(line.slice(line.lastIndexOf(' ') + 1))
    if (!Number.isFinite(value)) continue
    found = true
    sum += value
  }
  return found ? sum : undefined
}

/** VmRSS of a process in bytes from /proc/<pid>/status text; undefined when the line is missing. */
export function parseVmRss(status: string): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)
  return match ? Number(match[1]) * 1024 : undefined
}
