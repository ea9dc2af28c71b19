/**
 * The one source of truth of what Prometheus scrapes: every Isobar service, the brokers' JMX exporter agents
 * and Alertmanager, each with its address when run natively (`npm start`, `isobar kafka start --metrics`) and
 * in the compose deployment (service names on the compose network). Both scrape configs are generated from it.
 */
export type Variant = 'native' | 'compose'

export interface ScrapeJob {
  /** Prometheus `job` label; alert rules and dashboards select on it. */
  job: string
  /** What the targets are, written as a comment above the job. */
  description: string
  native: readonly string[]
  compose: readonly string[]
  metricsPath?: string
}

/** The JMX exporter agent's port of local broker node n (1-based): 7070 + n. Compose: kafka-n:7071. */
export function brokerMetricsPort(node: number): number {
  return 7070 + node
}

export const NOTIFIER_METRICS_PORT = 9467

export const SCRAPE_JOBS: readonly ScrapeJob[] = [
  {
    job: 'kafka',
    description:
      'Kafka brokers through the JMX exporter agent (natively: one node; a 3-node cluster adds :7072, :7073)',
    native: [`127.0.0.1:${brokerMetricsPort(1)}`],
    compose: ['kafka-1:7071', 'kafka-2:7071', 'kafka-3:7071'],
  },
  {
    job: 'registry',
    description: 'Schema Registry instances',
    native: ['127.0.0.1:8081'],
    compose: ['registry-1:8081', 'registry-2:8081'],
  },
  { job: 'console', description: 'Console + Admin API', native: ['127.0.0.1:8080'], compose: ['console:8080'] },
  {
    job: 'weather-streamer',
    description: 'Weather Streamer',
    native: ['127.0.0.1:9464'],
    compose: ['weather-streamer:9464'],
  },
  {
    job: 'analytics',
    description: 'Sensor Analytics instances (one consumer group, scaled out)',
    native: ['127.0.0.1:9465'],
    compose: ['analytics-1:9465', 'analytics-2:9465'],
  },
  {
    job: 'notifier',
    description: 'Alert notifier (Alertmanager forwarder and webhooks)',
    native: [`127.0.0.1:${NOTIFIER_METRICS_PORT}`],
    compose: [`notifier:${NOTIFIER_METRICS_PORT}`],
  },
  { job: 'alertmanager', description: 'Alertmanager', native: ['127.0.0.1:9093'], compose: ['alertmanager:9093'] },
  { job: 'prometheus', description: 'Prometheus itself', native: ['127.0.0.1:9090'], compose: ['localhost:9090'] },
]

/** Where Prometheus sends alerts. */
export const ALERTMANAGERS: Readonly<Record<Variant, readonly string[]>> = {
  native: ['127.0.0.1:9093'],
  compose: ['alertmanager:9093'],
}
