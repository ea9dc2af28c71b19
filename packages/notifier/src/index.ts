// @isobar/notifier: alert transitions from Kafka to Alertmanager and signed webhooks, at least once.
export { buildNotifier, type Notifier, type NotifierDeps } from './app.ts'
export { parseNotifierConfig, type NotifierConfig, type RetryPolicy } from './config.ts'
export { DeliveryError, NotifierConfigError, NotifierErrorCodes } from './errors.ts'
export { alertmanagerAlert, type AlertmanagerAlert } from './alertmanager.ts'
export { sensorPlace, toNotification, type AlertSource, type Notification } from './notification.ts'
export { backoffMs } from './retry.ts'
export { DEDUP_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signature, verifySignature, webhookBody } from './webhook.ts'
