/**
 * What the live feed sends to browsers. Every event has a hub-wide sequence number (its SSE id, prefixed by the
 * hub's boot id so a restarted server is never mistaken for the same stream) and a conflation key: a slow client
 * keeps only the newest event per key.
 */

export type LiveEventType = 'aggregate' | 'alert' | 'observation' | 'weather-alert' | 'lag'

export interface LiveEvent {
  /** Hub-wide, strictly increasing. */
  seq: number
  type: LiveEventType
  /** Events with the same key supersede each other (a sensor's window size, an alert, a station, a group). */
  key: string
  /** What the filters look at. */
  scope: LiveScope
  /** The JSON text sent as the SSE data line (serialised once, shared by every client). */
  data: string
}

/** The identities an event belongs to; filters match on them. Absent = not applicable to this event. */
export interface LiveScope {
  site?: string
  zone?: string
  sensor?: string
  station?: string
}

export interface LiveFilter {
  types: ReadonlySet<LiveEventType>
  sites?: ReadonlySet<string>
  zones?: ReadonlySet<string>
  sensors?: ReadonlySet<string>
  stations?: ReadonlySet<string>
}

/** The minimal writable side of an HTTP response that a live client needs (a fake in unit tests). */
export interface EventSink {
  /** false = the kernel buffer is full: stop writing until 'drain'. */
  write(chunk: string): boolean
  once(event: 'drain' | 'close', listener: () => void): void
  end(): void
}
