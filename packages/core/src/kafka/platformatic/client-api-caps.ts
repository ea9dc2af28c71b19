import { addPartitionsToTxnV3, type Producer as PltProducer } from '@platformatic/kafka'

type ApiCallback = (error: Error | null, api?: { version: number }) => void
type GetApi = (this: unknown, name: string, callback: ApiCallback) => void

/** The client's internal "pick the API version" method (a symbol the package does not export). */
function getApiSymbol(producer: object): symbol | undefined {
  for (let proto: object | null = producer; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    const found = Object.getOwnPropertySymbols(proto).find((s) => s.description === 'plt.kafka.base.getApi')
    if (found !== undefined) return found
  }
  return undefined
}

/**
 * AddPartitionsToTxn v4+ is the brokers' batched form (KIP-890): Kafka authorizes it as CLUSTER_ACTION, a broker
 * right. @platformatic/kafka 2.12.1 picks the highest version the broker offers, so on a cluster with ACLs every
 * transaction of a normal principal failed with CLUSTER_AUTHORIZATION_FAILED. Clients must stay on v3, as the Java
 * client does; v3 takes the same request (the first transaction of the list). The test that tells when this can
 * go: "known client bug: the client picks AddPartitionsToTxn above v3" in test/kafka/platformatic/client-bugs.test.ts.
 */
export function capClientApis(producer: PltProducer): void {
  const symbol = getApiSymbol(producer)
  if (symbol === undefined) return
  const target = producer as unknown as Record<symbol, GetApi>
  const original = target[symbol]
  if (typeof original !== 'function') return
  target[symbol] = function (this: unknown, name, callback) {
    if (name !== 'AddPartitionsToTxn') {
      original.call(this, name, callback)
      return
    }
    original.call(this, name, (error, api) => {
      if (error !== null || api === undefined || api.version <= 3) callback(error, api)
      else callback(null, addPartitionsToTxnV3.api)
    })
  }
}
