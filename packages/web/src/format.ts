export function age(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000))
  if (s < 60) return `${s}s ago`
  if (s < 3600) return `${Math.floor(s / 60)}m ago`
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`
  return `${Math.floor(s / 86400)}d ago`
}

export function num(value: number | undefined | null, digits = 1): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '–'
  return Math.abs(value) >= 10000 ? Math.round(value).toLocaleString() : value.toFixed(digits)
}

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–'
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = n
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`
}

export function time(ms: number): string {
  return new Date(ms).toLocaleTimeString()
}

export function dateTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')
}

/** Field names carry their unit (temperatureC, pressurePa): a readable label. */
export function fieldLabel(field: string): string {
  const units: Record<string, string> = {
    temperatureC: 'Temperature (°C)',
    relativeHumidityPct: 'Humidity (%)',
    pressurePa: 'Pressure (Pa)',
    batteryV: 'Battery (V)',
    co2Ppm: 'CO₂ (ppm)',
    vibrationRmsMmPerS: 'Vibration (mm/s RMS)',
    powerW: 'Power (W)',
  }
  return units[field] ?? field
}

export function hex(base64: string): string {
  const raw = atob(base64)
  const out: string[] = []
  for (let i = 0; i < raw.length; i++) out.push(raw.charCodeAt(i).toString(16).padStart(2, '0'))
  return out.join(' ')
}
