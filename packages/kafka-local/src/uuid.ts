import { randomBytes } from 'node:crypto'

/**
 * A random Kafka `Uuid` in its string form (16 bytes, base64url without padding, 22 chars), as printed by
 * `kafka-storage random-uuid`. Generated here to save a JVM start per id. Like Kafka's `Uuid.randomUuid()`, it
 * never starts with '-' (it would read as a command-line option) and never collides with the reserved ids
 * (zero, one and two: unassigned/lost/migrating directory ids, the metadata topic id).
 */
export function randomKafkaUuid(): string {
  for (;;) {
    const bytes = randomBytes(16)
    // Version 4 / IETF variant bits, as java.util.UUID.randomUUID() sets them.
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
    const text = bytes.toString('base64url')
    if (!text.startsWith('-')) return text
  }
}

export function isKafkaUuid(text: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(text) && Buffer.from(text, 'base64url').length === 16
}
