/**
 * A MessageDecoder that decodes registry-framed values through the Schema Registry (the writer schema is
 * fetched by id and cached; the value is validated against it). Anything that is not framed, or that the
 * registry cannot explain, falls back to the plain decoder, which still shows the schema id and the bytes.
 */
import { JsonSerde, MAGIC_BYTE, type SchemaRegistryClient } from '@isobar/core'
import { jsonMessageDecoder, type DecodedPayload, type MessageDecoder } from '../decode.ts'

export function registryMessageDecoder(registry: SchemaRegistryClient): MessageDecoder {
  const serde = new JsonSerde({ registry })
  return {
    async decode(bytes, context): Promise<DecodedPayload> {
      if (bytes.length < 5 || bytes[0] !== MAGIC_BYTE) return jsonMessageDecoder.decode(bytes, context)
      try {
        const { schemaId, value } = await serde.deserialize(bytes)
        return { format: 'json', data: value, schemaId }
      } catch (error) {
        const fallback = await jsonMessageDecoder.decode(bytes, context)
        return { ...fallback, decodeError: (error as Error).message }
      }
    },
  }
}
