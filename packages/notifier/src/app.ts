/**
 * The notifier: consumes the sensor and weather alert topics in one consumer group and delivers each alert
 * transition (`notify: true`, fired or resolved) to Alertmanager's v2 API and/or a signed webhook. A record's offset
 * is committed only after every channel accepted it, so a stop or crash re-sends from the last commit (webhook
 * receivers dedup on the dedup key; Alertmanager merges identical alerts). Failures are retried with backoff.
 */
import { decodeAlertEvent } from '@isobar/alerts'
import type { ConsumedRecord, Consumer, KafkaClient, Logger, Registry } from '@isobar/core'
import { alertmanagerSender } from './alertmanager.ts'
import type { NotifierConfig } from './config.ts'
import type { Fetch } from './http.ts'
import { createNotifierMetrics, type NotifierMetrics } from './metrics.ts'
import { toNotification, type AlertSource, type Notification } from './notification.ts'
import { retryUntilDelivered, sleep } from './retry.ts'
import { webhookSender } from './webhook.ts'

export interface NotifierDeps {
  config: NotifierConfig
  kafka: KafkaClient
  metrics: Registry
  logger: Logger
  fetch?: Fetch
  now?: () => number
}

interface Channel {
  name: 'alertmanager' | 'webhook'
  send(n: Notification): Promise<void>
}

export interface Notifier {
  start(): void
  /** Stops retrying and reading; what was not delivered is not committed (sent again after a restart). */
  stop(): Promise<void>
  readonly ready: boolean
}

export function buildNotifier(deps: NotifierDeps): Notifier {
  return new KafkaNotifier(deps)
}

class KafkaNotifier implements Notifier {
  readonly #deps: NotifierDeps
  readonly #channels: Channel[] = []
  readonly #metrics: NotifierMetrics
  readonly #abort = new AbortController()
  /** Firing alerts by identity, re-sent to Alertmanager while they fire (its endsAt moves on). */
  readonly #firing = new Map<string, Notification>()
  #sendFiring: ((batch: readonly Notification[]) => Promise<void>) | undefined
  #consumer: Consumer | undefined
  #loop: Promise<void> | undefined
  #resend: NodeJS.Timeout | undefined
  /** A record is being delivered or committed. */
  #busy = false

  constructor(deps: NotifierDeps) {
    this.#deps = deps
    const { config } = deps
    const fetchFn = deps.fetch ?? fetch
    this.#metrics = createNotifierMetrics(deps.metrics, () => this.#firing.size)
    if (config.alertmanager) {
      const send = alertmanagerSender({
        url: config.alertmanager.url,
        firingTtlMs: config.alertmanager.firingTtlMs,
        timeoutMs: config.requestTimeoutMs,
        fetch: fetchFn,
        ...(deps.now ? { now: deps.now } : {}),
      })
      this.#sendFiring = send
      this.#channels.push({ name: 'alertmanager', send: (n) => send([n]) })
    }
    if (config.webhook) {
      const send = webhookSender({
        url: config.webhook.url,
        secret: config.webhook.secret,
        timeoutMs: config.requestTimeoutMs,
        fetch: fetchFn,
        ...(deps.now ? { now: deps.now } : {}),
      })
      this.#channels.push({ name: 'webhook', send })
    }
  }

  get ready(): boolean {
    return this.#consumer !== undefined && !this.#abort.signal.aborted
  }

  start(): void {
    if (this.#loop) return
    this.#loop = this.#run()
    const resendMs = this.#deps.config.alertmanager?.resendIntervalMs
    if (resendMs !== undefined) this.#resend = setInterval(() => void this.#resendFiring(), resendMs)
  }

  async stop(): Promise<void> {
    this.#abort.abort()
    clearInterval(this.#resend)
    // Waiting for records: closing the consumer ends the iteration. Delivering or committing: the loop sees the
    // abort when that step ends and closes the consumer itself (closing under an in-flight commit leaks a socket).
    if (!this.#busy) await this.#consumer?.close().catch(() => undefined)
    await this.#loop
  }

  async #run(): Promise<void> {
    const { config, kafka, logger } = this.#deps
    const signal = this.#abort.signal
    while (!signal.aborted) {
      let consumer: Consumer | undefined
      try {
        consumer = kafka.consumer({
          groupId: config.groupId,
          topics: [config.topics.sensors, config.topics.weather],
          from: config.startFrom,
          autocommitMs: false,
        })
        this.#consumer = consumer
        for await (const record of consumer) {
          this.#busy = true
          try {
            if (!(await this.#handle(record))) break
            await consumer.commit([record])
          } finally {
            this.#busy = false
          }
          if (signal.aborted) break
        }
      } catch (error) {
        if (!signal.aborted) logger.warn({ err: error }, 'alert consumer failed; reconnecting')
      } finally {
        await consumer?.close().catch(() => undefined)
      }
      if (!signal.aborted) await sleep(1000, signal)
    }
  }

  /** Delivers one record's transition to every channel; false when stopped before all accepted it. */
  async #handle(record: ConsumedRecord): Promise<boolean> {
    const { config, logger } = this.#deps
    const source: AlertSource = record.topic === config.topics.sensors ? 'sensors' : 'weather'
    const event = decodeAlertEvent(record.value)
    if (event === undefined) {
      this.#metrics.skipped.inc({ reason: 'undecodable' })
      logger.warn(
        { topic: record.topic, partition: record.partition, offset: String(record.offset) },
        'not an alert event; skipped',
      )
      return true
    }
    const notification = toNotification(event, source)
    if (notification === undefined) {
      this.#metrics.skipped.inc({ reason: 'not_news' })
      return true
    }
    for (const channel of this.#channels) {
      const delivered = await retryUntilDelivered(
        () => channel.send(notification),
        config.retry,
        this.#abort.signal,
        (error, attempt) => {
          this.#metrics.failures.inc({ channel: channel.name })
          logger.warn(
            { err: error, channel: channel.name, rule: notification.rule, entity: notification.entity, attempt },
            'delivery failed; retrying',
          )
        },
      )
      if (!delivered) return false
      this.#metrics.delivered.inc({ channel: channel.name, source, state: notification.state })
      const now = this.#deps.now?.() ?? Date.now()
      this.#metrics.latency.observe({ channel: channel.name }, Math.max(0, now - notification.raisedAtMs) / 1000)
    }
    const identity = `${source}\u0000${notification.rule}\u0000${notification.entity}`
    if (notification.state === 'firing') this.#firing.set(identity, notification)
    else this.#firing.delete(identity)
    return true
  }

  async #resendFiring(): Promise<void> {
    const send = this.#sendFiring
    if (!send || this.#firing.size === 0) return
    try {
      await send([...this.#firing.values()])
    } catch (error) {
      this.#metrics.failures.inc({ channel: 'alertmanager' })
      this.#deps.logger.warn({ err: error }, 're-sending firing alerts to Alertmanager failed; next interval retries')
    }
  }
}
