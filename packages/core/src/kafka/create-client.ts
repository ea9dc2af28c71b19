import type { KafkaConfig } from '../config/kafka-config.ts'
import { createPlatformaticClient } from './platformatic/client.ts'
import type { KafkaClient } from './types.ts'

/** The Kafka client every Isobar process uses; benchmarks may build others beside it. */
export function createKafkaClient(config: KafkaConfig): KafkaClient {
  return createPlatformaticClient(config)
}
