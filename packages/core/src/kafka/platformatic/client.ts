import type { KafkaConfig } from '../../config/kafka-config.ts'
import type {
  Admin,
  Consumer,
  ConsumerOptions,
  KafkaClient,
  Producer,
  ProducerOptions,
  TransactionalProducer,
  TransactionalProducerOptions,
} from '../types.ts'
import { PlatformaticAdmin } from './admin.ts'
import { PlatformaticConsumer } from './consumer.ts'
import { PlatformaticProducer } from './producer.ts'
import { PlatformaticTransactionalProducer } from './transaction.ts'
import { readCommitted } from './transactional-read.ts'

/** The default client: @platformatic/kafka, pure TypeScript, KIP-848 groups, Java-compatible partitioning. */
export function createPlatformaticClient(config: KafkaConfig): KafkaClient {
  return {
    name: '@platformatic/kafka',
    producer: (options?: ProducerOptions): Producer => new PlatformaticProducer(config, options),
    consumer: (options: ConsumerOptions): Consumer => new PlatformaticConsumer(config, options),
    admin: (): Admin => new PlatformaticAdmin(config),
    transactionalProducer: (options: TransactionalProducerOptions): TransactionalProducer =>
      new PlatformaticTransactionalProducer(config, options),
    readCommitted: async (options) => {
      const admin = new PlatformaticAdmin(config)
      try {
        return await readCommitted(config, admin, options)
      } finally {
        await admin.close()
      }
    },
  }
}
