/**
 * Station coordinates for sources whose reports carry none (METAR). Two formats are read:
 * CSV `icao,latitudeDeg,longitudeDeg[,elevationM]` (a header line and # comments allowed), and the
 * weather-util `stations` INI file (`[kjfk]` sections with `location = (lat, lon)` in radians), as shipped by
 * Debian's weather-util-data in /usr/share/weather-util/stations.gz.
 */
import { readFile } from 'node:fs/promises'
import { gunzipSync } from 'node:zlib'

export interface StationInfo {
  latitudeDeg: number
  longitudeDeg: number
  elevationM?: number
}

export type StationTable = ReadonlyMap<string, StationInfo>

function parseCsv(text: string): Map<string, StationInfo> {
  const table = new Map<string, StationInfo>()
  for (const line of text.split(/\r?\n/)) {
    const [id, lat, lon, elev] = line.split(',').map((c) => c.trim())
    if (!id || id.startsWith('#') || lat === undefined || lon === undefined) continue
    const latitudeDeg = Number(lat)
    const longitudeDeg = Number(lon)
    if (!Number.isFinite(latitudeDeg) || !Number.isFinite(longitudeDeg)) continue
    const elevationM = elev ? Number(elev) : undefined
    table.set(id.toUpperCase(), {
      latitudeDeg,
      longitudeDeg,
      ...(elevationM !== undefined && Number.isFinite(elevationM) ? { elevationM } : {}),
    })
  }
  return table
}

function parseWeatherUtil(text: string): Map<string, StationInfo> {
  const table = new Map<string, StationInfo>()
  let current: string | undefined
  for (const line of text.split(/\r?\n/)) {
    const section = /^\[([a-z0-9]{4})\]$/i.exec(line.trim())
    if (section) {
      current = section[1]!.toUpperCase()
      continue
    }
    const location = /^location\s*=\s*\(\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*\)/.exec(line.trim())
    if (current && location) {
      const toDeg = 180 / Math.PI
      table.set(current, {
        latitudeDeg: Math.round(Number(location[1]) * toDeg * 1e4) / 1e4,
        longitudeDeg: Math.round(Number(location[2]) * toDeg * 1e4) / 1e4,
      })
    }
  }
  return table
}

export function parseStationTable(text: string): Map<string, StationInfo> {
  return /^\s*\[[a-z0-9]{4}\]/im.test(text) ? parseWeatherUtil(text) : parseCsv(text)
}

export async function loadStationTable(path: string): Promise<Map<string, StationInfo>> {
  const bytes = await readFile(path)
  const text = path.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8')
  return parseStationTable(text)
}
