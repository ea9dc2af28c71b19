import { JsonSerde, MAGIC_BYTE, SchemaRegistryClient, describeCause } from '@isobar/core'

export interface DecodedValue {
  schemaId: number
  value: unknown
}

/**
 * Decodes values in the Confluent wire format (magic byte 0, 4-byte schema id, JSON) through the Schema
 * Registry, so `isobar consume` shows records as JSON. Anything else, or any failure, leaves the raw bytes
 * to the caller; a failing registry is reported once, not per record.
 */
export class ValueDecoder {
  readonly #serde: JsonSerde
  readonly #warn: (message: string) => void
  #warned = false

  constructor(registryUrl: string, warn: (message: string) => void) {
    this.#serde = new JsonSerde({ registry: new SchemaRegistryClient({ url: registryUrl, timeoutMs: 3000 }) })
    this.#warn = warn
  }

  async decode(value: Buffer | null): Promise<DecodedValue | undefined> {
    if (value === null || value.length < 5 || value[0] !== MAGIC_BYTE) return undefined
    try {
      return await this.#serde.deserialize(value)
    } catch (error) {
      if (!this.#warned) {
        this.#warned = true
        this.#warn(`could not decode registry-framed values (${describeCause(error)}); showing raw bytes`)
      }
      return undefined
    }
  }
}
