import { InvalidRequestError } from '../errors.ts'
import type { LiveEvent, LiveEventType, LiveFilter } from './types.ts'

export const LIVE_EVENT_TYPES: readonly LiveEventType[] = ['aggregate', 'alert', 'observation', 'weather-alert', 'lag']

const MAX_VALUES = 200
const VALUE = /^[A-Za-z0-9_.:,/-]{1,128}$/

export interface LiveQuery {
  types?: string
  site?: string
  zone?: string
  sensor?: string
  station?: string
}

function list(name: string, raw: string | undefined): Set<string> | undefined {
  if (raw === undefined || raw === '') return undefined
  const values = raw.split(',').filter((v) => v !== '')
  if (values.length > MAX_VALUES) throw new InvalidRequestError(`query/${name}: at most ${MAX_VALUES} values`, name)
  for (const v of values) {
    if (!VALUE.test(v)) throw new InvalidRequestError(`query/${name}: "${v.slice(0, 40)}" is not an id`, name)
  }
  return new Set(values)
}

/** Parses `types=aggregate,alert&site=s01&zone=s01.z2&sensor=…&station=…` (comma lists; all types when absent). */
export function parseLiveFilter(query: LiveQuery): LiveFilter {
  const types = list('types', query.types) ?? new Set(LIVE_EVENT_TYPES)
  for (const t of types) {
    if (!(LIVE_EVENT_TYPES as readonly string[]).includes(t)) {
      throw new InvalidRequestError(`query/types: unknown type "${t}" (one of ${LIVE_EVENT_TYPES.join(', ')})`, 'types')
    }
  }
  const filter: LiveFilter = { types: types as Set<LiveEventType> }
  const sites = list('site', query.site)
  const zones = list('zone', query.zone)
  const sensors = list('sensor', query.sensor)
  const stations = list('station', query.station)
  return {
    ...filter,
    ...(sites ? { sites } : {}),
    ...(zones ? { zones } : {}),
    ...(sensors ? { sensors } : {}),
    ...(stations ? { stations } : {}),
  }
}

/**
 * An event passes when its type is wanted and every filter that applies to it matches. A sensor-side filter
 * (site, zone, sensor) leaves weather events alone and vice versa, so one stream can carry both views.
 */
export function matches(filter: LiveFilter, event: Pick<LiveEvent, 'type' | 'scope'>): boolean {
  if (!filter.types.has(event.type)) return false
  const { scope } = event
  if (event.type === 'lag') return true
  if (event.type === 'observation' || event.type === 'weather-alert') {
    return !filter.stations || (scope.station !== undefined && filter.stations.has(scope.station))
  }
  if (filter.sensors && !(scope.sensor !== undefined && filter.sensors.has(scope.sensor))) return false
  if (filter.zones && !(scope.zone !== undefined && filter.zones.has(scope.zone))) return false
  if (filter.sites && !(scope.site !== undefined && filter.sites.has(scope.site))) return false
  return true
}

/** True when the filter names few enough entities that full per-key history is worth sending. */
export function isNarrow(filter: LiveFilter): boolean {
  return (filter.sensors !== undefined && filter.sensors.size <= 20) || (filter.zones?.size ?? 0) === 1
}
