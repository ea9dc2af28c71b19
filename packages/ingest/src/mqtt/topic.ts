/** The MQTT topic scheme isobar/<site>/<zone>/<device>/readings; <device> is the ACL-enforced username. */
import { IngestErrorCodes, ReadingRejectedError } from '../errors.ts'
import type { ReadingOrigin } from '../reading-codec.ts'

export type ParsedTopic = { ok: true; origin: Required<ReadingOrigin> } | { ok: false; error: Error }

export function parseReadingsTopic(topic: string): ParsedTopic {
  const parts = topic.split('/')
  const [root, siteId, zoneId, device, leaf] = parts
  if (parts.length !== 5 || root !== 'isobar' || leaf !== 'readings' || !siteId || !zoneId || !device) {
    return {
      ok: false,
      error: new ReadingRejectedError(
        IngestErrorCodes.BAD_TOPIC,
        `topic ${JSON.stringify(topic)} is not isobar/<site>/<zone>/<sensor>/readings`,
      ),
    }
  }
  return { ok: true, origin: { device, siteId, zoneId } }
}
