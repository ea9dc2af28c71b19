/**
 * The engine evaluates any message type: a small accessor says which entity a message is about, when it
 * happened and what a metric's value is. Sensors use `sensorId`, the Weather Streamer `stationId`.
 */
export interface SampleAccessor<T> {
  entityId(message: T): string | undefined
  /** Event time, ms since the epoch. */
  timeMs(message: T): number | undefined
  /** A finite number, or undefined when the message does not carry the metric. */
  metric(message: T, name: string): number | undefined
}

export interface FieldAccessorOptions {
  /** Field (dotted path) holding the entity id. Default 'entityId'. */
  entity?: string
  /** Field (dotted path) holding the event time in ms. Default 'eventTimeMs'. */
  time?: string
}

function getter(path: string): (value: unknown) => unknown {
  const parts = path.split('.')
  if (parts.length === 1) return (value) => (value as Record<string, unknown> | null)?.[path]
  return (value) => {
    let current = value
    for (const part of parts) current = (current as Record<string, unknown> | null | undefined)?.[part]
    return current
  }
}

/** Reads plain object fields by (dotted) name: `fieldAccessor({ entity: 'sensorId' })`. */
export function fieldAccessor<T = Record<string, unknown>>(options: FieldAccessorOptions = {}): SampleAccessor<T> {
  const entity = getter(options.entity ?? 'entityId')
  const time = getter(options.time ?? 'eventTimeMs')
  const metrics = new Map<string, (value: unknown) => unknown>()
  return {
    entityId(message) {
      const id = entity(message)
      return typeof id === 'string' && id.length > 0 ? id : undefined
    },
    timeMs(message) {
      const t = time(message)
      return typeof t === 'number' && Number.isFinite(t) ? t : undefined
    },
    metric(message, name) {
      let get = metrics.get(name)
      if (!get) metrics.set(name, (get = getter(name)))
      const value = get(message)
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined
    },
  }
}
