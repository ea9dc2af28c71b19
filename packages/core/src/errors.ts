/**
 * The core package's error catalogue. Every error carries a stable `code` (safe to match on across package
 * copies, unlike `instanceof`) and says whether retrying the same operation can succeed.
 */
export const CoreErrorCodes = {
  CONFIG_INVALID: 'ISOBAR_CORE_CONFIG_INVALID',
  KAFKA_UNREACHABLE: 'ISOBAR_CORE_KAFKA_UNREACHABLE',
  KAFKA_REQUEST_FAILED: 'ISOBAR_CORE_KAFKA_REQUEST_FAILED',
  TOPIC_NOT_FOUND: 'ISOBAR_CORE_TOPIC_NOT_FOUND',
  TOPIC_EXISTS: 'ISOBAR_CORE_TOPIC_EXISTS',
  GROUP_NOT_FOUND: 'ISOBAR_CORE_GROUP_NOT_FOUND',
  GROUP_ACTIVE: 'ISOBAR_CORE_GROUP_ACTIVE',
  INVALID_ARGUMENT: 'ISOBAR_CORE_INVALID_ARGUMENT',
  TIMEOUT: 'ISOBAR_CORE_TIMEOUT',
} as const

export type CoreErrorCode = (typeof CoreErrorCodes)[keyof typeof CoreErrorCodes]

/**
 * Every package's codes, one property per catalogue: each package adds its own with
 * `declare module '@isobar/core' { interface IsobarErrorCodeMap { <package>: <Package>ErrorCode } }`, so
 * `IsobarError.code` is the closed union of all catalogues and a code no catalogue lists does not type-check.
 */
export interface IsobarErrorCodeMap {
  core: CoreErrorCode
}

export type IsobarErrorCode = IsobarErrorCodeMap[keyof IsobarErrorCodeMap]

/** What docs/errors.md says about one code: what happened, whether retrying can succeed, what to do. */
export interface ErrorCodeDoc {
  readonly meaning: string
  /** `'depends'` when the error decides per case (e.g. by HTTP status); the doc's action says on what. */
  readonly retriable: boolean | 'depends'
  readonly action: string
}

/** A catalogue's documentation: one entry per code, so adding a code without documenting it fails to type-check. */
export interface ErrorCatalogue<Code extends string> {
  readonly package: string
  readonly docs: { readonly [C in Code]: ErrorCodeDoc }
}

export const CoreErrorCatalogue: ErrorCatalogue<CoreErrorCode> = {
  package: '@isobar/core',
  docs: {
    ISOBAR_CORE_CONFIG_INVALID: {
      meaning: 'Configuration from the environment or a config object failed its schema.',
      retriable: false,
      action: 'Fix the variable the message names; docs/configuration.md lists every one.',
    },
    ISOBAR_CORE_KAFKA_UNREACHABLE: {
      meaning: 'No bootstrap server answered.',
      retriable: true,
      action: 'Start Kafka (`npx isobar kafka start`) or point KAFKA_BOOTSTRAP_SERVERS at a running cluster.',
    },
    ISOBAR_CORE_KAFKA_REQUEST_FAILED: {
      meaning: 'A Kafka request (produce, fetch, admin call) failed; the message carries the broker error.',
      retriable: 'depends',
      action: 'Retriable when the broker error is (leader moved, timeout); otherwise read the broker error.',
    },
    ISOBAR_CORE_TOPIC_NOT_FOUND: {
      meaning: 'The topic does not exist.',
      retriable: false,
      action: 'Create it (`npx isobar topics create`) or check the name.',
    },
    ISOBAR_CORE_TOPIC_EXISTS: {
      meaning: 'A topic of that name already exists.',
      retriable: false,
      action: 'Use it, or delete it first.',
    },
    ISOBAR_CORE_GROUP_NOT_FOUND: {
      meaning: 'The consumer group does not exist (never committed, or deleted).',
      retriable: false,
      action: 'Check the group id (`npx isobar groups list`).',
    },
    ISOBAR_CORE_GROUP_ACTIVE: {
      meaning: 'The group has live members, so its offsets cannot be moved or the group deleted.',
      retriable: true,
      action: 'Stop its consumers, then retry.',
    },
    ISOBAR_CORE_INVALID_ARGUMENT: {
      meaning: 'A caller passed a value outside what the operation accepts.',
      retriable: false,
      action: 'Fix the argument the message names.',
    },
    ISOBAR_CORE_TIMEOUT: {
      meaning: 'An operation did not finish within its deadline.',
      retriable: true,
      action: 'Retry; if it persists, check the broker and the network.',
    },
  },
}

export interface IsobarErrorOptions {
  cause?: unknown
  retriable?: boolean
  details?: Record<string, unknown>
}

/** Base class of every Isobar error, in every package. */
export class IsobarError extends Error {
  readonly code: IsobarErrorCode
  readonly retriable: boolean
  readonly details: Record<string, unknown>

  constructor(code: IsobarErrorCode, message: string, options: IsobarErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'IsobarError'
    this.code = code
    this.retriable = options.retriable ?? false
    this.details = options.details ?? {}
  }
}

export function isIsobarError(error: unknown): error is IsobarError {
  return (
    error instanceof Error &&
    typeof (error as Partial<IsobarError>).code === 'string' &&
    typeof (error as Partial<IsobarError>).retriable === 'boolean'
  )
}

export class ConfigError extends IsobarError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(CoreErrorCodes.CONFIG_INVALID, message, { details })
    this.name = 'ConfigError'
  }
}

export class KafkaUnreachableError extends IsobarError {
  constructor(bootstrapServers: readonly string[], cause?: unknown) {
    super(
      CoreErrorCodes.KAFKA_UNREACHABLE,
      `Kafka is not reachable at ${bootstrapServers.join(',')}. Start a local one with \`npx isobar kafka start\` ` +
        'or set KAFKA_BOOTSTRAP_SERVERS to a running cluster.',
      { cause, retriable: true, details: { bootstrapServers } },
    )
    this.name = 'KafkaUnreachableError'
  }
}

export class KafkaRequestError extends IsobarError {
  constructor(operation: string, cause: unknown, retriable = false) {
    super(CoreErrorCodes.KAFKA_REQUEST_FAILED, `${operation} failed: ${describeCause(cause)}`, { cause, retriable })
    this.name = 'KafkaRequestError'
  }
}

export class TopicNotFoundError extends IsobarError {
  constructor(topic: string) {
    super(CoreErrorCodes.TOPIC_NOT_FOUND, `Topic "${topic}" does not exist`, { details: { topic } })
    this.name = 'TopicNotFoundError'
  }
}

export class TopicExistsError extends IsobarError {
  constructor(topic: string) {
    super(CoreErrorCodes.TOPIC_EXISTS, `Topic "${topic}" already exists`, { details: { topic } })
    this.name = 'TopicExistsError'
  }
}

export class GroupNotFoundError extends IsobarError {
  constructor(groupId: string) {
    super(CoreErrorCodes.GROUP_NOT_FOUND, `Consumer group "${groupId}" does not exist`, { details: { groupId } })
    this.name = 'GroupNotFoundError'
  }
}

/** Offsets of a group with live members cannot be moved (they would overwrite them on their next commit). */
export class GroupActiveError extends IsobarError {
  constructor(groupId: string, action: string, members: number) {
    super(
      CoreErrorCodes.GROUP_ACTIVE,
      `Cannot ${action} consumer group "${groupId}" while it has ${members || 'active'} member(s): stop its consumers first`,
      { retriable: true, details: { groupId, members } },
    )
    this.name = 'GroupActiveError'
  }
}

export class InvalidArgumentError extends IsobarError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(CoreErrorCodes.INVALID_ARGUMENT, message, { details })
    this.name = 'InvalidArgumentError'
  }
}

export class TimeoutError extends IsobarError {
  constructor(operation: string, timeoutMs: number) {
    super(CoreErrorCodes.TIMEOUT, `${operation} timed out after ${timeoutMs} ms`, { retriable: true })
    this.name = 'TimeoutError'
  }
}

/** One line from an error and its causes (platformatic wraps broker errors in MultipleErrors). */
export function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const nested = (error as { errors?: unknown[] }).errors
  if (Array.isArray(nested) && nested.length > 0) {
    const inner = nested.map(describeCause).filter((m, i, all) => all.indexOf(m) === i)
    return `${error.message} (${inner.join('; ')})`
  }
  return error.message
}
