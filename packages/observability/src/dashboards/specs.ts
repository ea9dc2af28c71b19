import { TopicNames } from '@isobar/schemas'
import type { DashboardSpec } from './panels.ts'

/** Zero per known source instead of "no data" for counters that have never moved (no rejects yet). */
const perSourceOrZero = (expr: string): string =>
  `${expr} or (sum by (source) (rate(isobar_weather_records_delivered_total[5m])) * 0)`

export const PLATFORM_OVERVIEW: DashboardSpec = {
  uid: 'isobar-platform',
  title: 'Isobar / Platform overview',
  tags: ['isobar'],
  rows: [
    {
      title: 'Services',
      panels: [
        {
          title: 'Targets up',
          kind: 'stat',
          unit: 'none',
          queries: [{ expr: 'sum by (job) (up)', legend: '{{job}}' }],
        },
        {
          title: 'Targets down',
          kind: 'stat',
          unit: 'none',
          queries: [{ expr: 'count(up == 0) or vector(0)', legend: 'down' }],
        },
      ],
    },
    {
      title: 'Throughput',
      panels: [
        {
          title: 'Records in per topic',
          kind: 'timeseries',
          unit: 'rps',
          queries: [{ expr: 'topic:kafka_messages_in:rate1m', legend: '{{topic}}' }],
        },
        {
          title: 'Bytes in / out per topic',
          kind: 'timeseries',
          unit: 'Bps',
          queries: [
            { expr: 'topic:kafka_bytes_in:rate1m', legend: 'in {{topic}}' },
            { expr: 'topic:kafka_bytes_out:rate1m', legend: 'out {{topic}}' },
          ],
        },
      ],
    },
    {
      title: 'Consumer groups',
      panels: [
        {
          title: 'Lag per group (records)',
          kind: 'timeseries',
          unit: 'short',
          queries: [
            {
              expr: 'sum by (group) (max by (group, topic, partition) (isobar_consumer_lag_records))',
              legend: '{{group}}',
            },
          ],
        },
        {
          title: 'Lag status per group (OK=0 WARN=1 STALL=2 STOP=3 REWIND=4)',
          kind: 'timeseries',
          unit: 'none',
          queries: [{ expr: 'group:isobar_consumer_group_status:max', legend: '{{group}}' }],
        },
      ],
    },
    {
      title: 'Dead letters',
      panels: [
        {
          title: 'Dead letters per second by service',
          kind: 'timeseries',
          unit: 'rps',
          queries: [{ expr: 'job:isobar_dead_letters:rate5m', legend: '{{job}}' }],
        },
      ],
    },
  ],
}

export const KAFKA_BROKERS: DashboardSpec = {
  uid: 'isobar-kafka',
  title: 'Isobar / Kafka brokers',
  tags: ['isobar', 'kafka'],
  rows: [
    {
      title: 'Cluster health',
      panels: [
        {
          title: 'Active controllers',
          kind: 'stat',
          unit: 'none',
          queries: [{ expr: 'sum(kafka_controller_kafkacontroller_activecontrollercount)', legend: 'controllers' }],
        },
        {
          title: 'Offline partitions',
          kind: 'stat',
          unit: 'none',
          queries: [{ expr: 'max(kafka_controller_kafkacontroller_offlinepartitionscount)', legend: 'offline' }],
        },
        {
          title: 'Under-replicated partitions per broker',
          kind: 'timeseries',
          unit: 'none',
          queries: [{ expr: 'kafka_server_replicamanager_underreplicatedpartitions', legend: '{{instance}}' }],
        },
        {
          title: 'ISR shrinks / expands per second',
          kind: 'timeseries',
          unit: 'ops',
          queries: [
            { expr: 'rate(kafka_server_replicamanager_isrshrinks_total[5m])', legend: 'shrinks {{instance}}' },
            { expr: 'rate(kafka_server_replicamanager_isrexpands_total[5m])', legend: 'expands {{instance}}' },
          ],
        },
      ],
    },
    {
      title: 'Traffic and latency',
      panels: [
        {
          title: 'Bytes in / out per broker',
          kind: 'timeseries',
          unit: 'Bps',
          queries: [
            {
              expr: 'sum by (instance) (rate(kafka_server_brokertopicmetrics_bytesin_total{topic=""}[1m]))',
              legend: 'in {{instance}}',
            },
            {
              expr: 'sum by (instance) (rate(kafka_server_brokertopicmetrics_bytesout_total{topic=""}[1m]))',
              legend: 'out {{instance}}',
            },
          ],
        },
        {
          title: 'Request latency p99 (Produce, Fetch)',
          kind: 'timeseries',
          unit: 'ms',
          queries: [
            {
              expr: 'max by (request) (kafka_network_requestmetrics_totaltimems{request=~"Produce|Fetch|FetchConsumer",quantile="0.99"})',
              legend: '{{request}}',
            },
          ],
        },
      ],
    },
  ],
}

export const SENSOR_ANALYTICS: DashboardSpec = {
  uid: 'isobar-analytics',
  title: 'Isobar / Sensor Analytics',
  tags: ['isobar', 'analytics'],
  rows: [
    {
      title: 'Processing',
      panels: [
        {
          title: 'Readings processed per second by stage',
          kind: 'timeseries',
          unit: 'rps',
          queries: [{ expr: 'stage:isobar_analytics_records:rate1m', legend: '{{stage}}' }],
        },
        {
          title: `Windows emitted per second (${TopicNames.SENSORS_AGGREGATES})`,
          kind: 'timeseries',
          unit: 'rps',
          queries: [
            {
              expr: `sum(rate(kafka_server_brokertopicmetrics_messagesin_total{topic="${TopicNames.SENSORS_AGGREGATES}"}[1m]))`,
              legend: 'windows',
            },
          ],
        },
        {
          title: 'Late records (share of input) by stage',
          kind: 'timeseries',
          unit: 'percentunit',
          queries: [{ expr: 'stage:isobar_analytics_late_ratio:rate5m', legend: '{{stage}}' }],
        },
        {
          title: 'Mean commit latency by stage',
          kind: 'timeseries',
          unit: 's',
          queries: [
            {
              expr: 'sum by (stage) (rate(isobar_analytics_commit_seconds[5m])) / sum by (stage) (rate(isobar_analytics_commits[5m]) > 0)',
              legend: '{{stage}}',
            },
          ],
        },
      ],
    },
    {
      title: 'State and health',
      panels: [
        {
          title: 'Changelog records restored by stage',
          kind: 'timeseries',
          unit: 'short',
          queries: [{ expr: 'sum by (stage) (isobar_analytics_restored_records)', legend: '{{stage}}' }],
        },
        {
          title: 'Active tasks (partitions) by instance',
          kind: 'timeseries',
          unit: 'short',
          queries: [{ expr: 'sum by (instance) (isobar_analytics_active_tasks)', legend: '{{instance}}' }],
        },
        {
          title: 'Stages ready',
          kind: 'stat',
          unit: 'none',
          queries: [{ expr: 'min by (instance) (isobar_analytics_ready)', legend: '{{instance}}' }],
        },
        {
          title: 'Rebuilds (restarts from committed state)',
          kind: 'stat',
          unit: 'short',
          queries: [{ expr: 'sum by (stage) (isobar_analytics_rebuilds)', legend: '{{stage}}' }],
        },
      ],
    },
  ],
}

export const WEATHER_STREAMER: DashboardSpec = {
  uid: 'isobar-weather',
  title: 'Isobar / Weather Streamer',
  tags: ['isobar', 'weather'],
  rows: [
    {
      title: 'Sources',
      panels: [
        {
          title: 'Observations delivered per second by source',
          kind: 'timeseries',
          unit: 'rps',
          queries: [{ expr: 'source:isobar_weather_records_delivered:rate1m', legend: '{{source}}' }],
        },
        {
          title: 'Rejected (validation) and dead-lettered per second by source',
          kind: 'timeseries',
          unit: 'rps',
          queries: [
            {
              expr: perSourceOrZero('sum by (source) (rate(isobar_weather_validation_failures_total[5m]))'),
              legend: 'rejected {{source}}',
            },
            {
              expr: perSourceOrZero('sum by (source) (rate(isobar_weather_dead_lettered_total[5m]))'),
              legend: 'dead-lettered {{source}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Publishing',
      panels: [
        {
          title: 'Publish latency p50 / p99 by source',
          kind: 'timeseries',
          unit: 's',
          queries: [
            {
              expr: 'histogram_quantile(0.5, sum by (le, source) (rate(isobar_weather_delivery_latency_seconds_bucket[5m])))',
              legend: 'p50 {{source}}',
            },
            {
              expr: 'histogram_quantile(0.99, sum by (le, source) (rate(isobar_weather_delivery_latency_seconds_bucket[5m])))',
              legend: 'p99 {{source}}',
            },
          ],
        },
        {
          title: 'Records in flight',
          kind: 'timeseries',
          unit: 'short',
          queries: [{ expr: 'sum by (instance) (isobar_weather_in_flight_records)', legend: '{{instance}}' }],
        },
      ],
    },
  ],
}

export const DASHBOARDS: readonly DashboardSpec[] = [
  PLATFORM_OVERVIEW,
  KAFKA_BROKERS,
  SENSOR_ANALYTICS,
  WEATHER_STREAMER,
]
