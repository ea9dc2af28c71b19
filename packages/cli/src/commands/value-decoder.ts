import { SchemaRegistryClient, isFramed, registryMessageDecoder, type MessageDecoder } from '@isobar/core'

export interface DecodedValue {
  schemaId: number
  value: unknown
}

/**
 * Decodes values in the Confluent wire format (magic byte 0, 4-byte schema id, JSON) through the Schema
 * Registry with core's registry decoder (the one the Admin API uses), so `isobar consume` and `isobar dlq` show
 * records as JSON. Anything else, or any failure, leaves the raw bytes to the caller; a failing registry is
 * reported once, not per record.
 */
export class ValueDecoder {
  readonly #decoder: MessageDecoder
  readonly #warn: (message: string) => void
  #warned = false

  constructor(registryUrl: string, warn: (message: string) => void) {
    this.#decoder = registryMessageDecoder(new SchemaRegistryClient({ url: registryUrl, timeoutMs: 3000 }))
    this.#warn = warn
  }

  async decode(value: Buffer | null, topic: string): Promise<DecodedValue | undefined> {
    if (value === null || !isFramed(value)) return undefined
    const decoded = await this.#decoder.decode(value, { topic, part: 'value' })
    if (decoded.decodeError !== undefined) {
      if (!this.#warned) {
        this.#warned = true
        this.#warn(`could not decode registry-framed values (${decoded.decodeError}); showing raw bytes`)
      }
      return undefined
    }
    return decoded.format === 'json' && decoded.schemaId !== undefined
      ? { schemaId: decoded.schemaId, value: decoded.data }
      : undefined
  }
}
