import { IsobarError, type ErrorCatalogue } from '@isobar/core'

/** The stream package's error catalogue. */
export const StreamErrorCodes = {
  INVALID_TOPOLOGY: 'ISOBAR_STREAM_INVALID_TOPOLOGY',
  CHANGELOG_CORRUPT: 'ISOBAR_STREAM_CHANGELOG_CORRUPT',
  COMMIT_FAILED: 'ISOBAR_STREAM_COMMIT_FAILED',
  RUNNER_STATE: 'ISOBAR_STREAM_RUNNER_STATE',
  REBALANCED: 'ISOBAR_STREAM_REBALANCED',
  PARSE_DEFERRED: 'ISOBAR_STREAM_PARSE_DEFERRED',
  ASSIGNMENT_NOT_ACTIVE: 'ISOBAR_STREAM_ASSIGNMENT_NOT_ACTIVE',
} as const

export type StreamErrorCode = (typeof StreamErrorCodes)[keyof typeof StreamErrorCodes]

declare module '@isobar/core' {
  interface IsobarErrorCodeMap {
    stream: StreamErrorCode
  }
}

export const StreamErrorCatalogue: ErrorCatalogue<StreamErrorCode> = {
  package: '@isobar/stream',
  docs: {
    ISOBAR_STREAM_INVALID_TOPOLOGY: {
      meaning: 'A topology definition is inconsistent (names, topics, windows).',
      retriable: false,
      action: 'A programming error: fix the topology.',
    },
    ISOBAR_STREAM_CHANGELOG_CORRUPT: {
      meaning: 'A changelog record cannot be read back into state.',
      retriable: false,
      action: 'Investigate the changelog topic; state cannot be restored from it.',
    },
    ISOBAR_STREAM_COMMIT_FAILED: {
      meaning: 'A transaction or offset commit failed.',
      retriable: true,
      action: 'Retried: the stage restarts from its committed state.',
    },
    ISOBAR_STREAM_RUNNER_STATE: {
      meaning: 'A runner method was called in the wrong state (e.g. start twice).',
      retriable: false,
      action: 'A programming error.',
    },
    ISOBAR_STREAM_REBALANCED: {
      meaning: 'The group rebalanced during processing.',
      retriable: true,
      action: 'Handled: the stage restarts from its committed state.',
    },
    ISOBAR_STREAM_PARSE_DEFERRED: {
      meaning: 'A parse needs something asynchronous first (a schema lookup).',
      retriable: true,
      action: 'Handled: the runner waits and parses the record again.',
    },
    ISOBAR_STREAM_ASSIGNMENT_NOT_ACTIVE: {
      meaning: 'The group assigned partitions the runner has no active tasks for, past the grace period.',
      retriable: true,
      action: 'Handled: the runner rejoins and rebuilds from committed state.',
    },
  },
}

/**
 * Thrown by a topology's `parse` that needs something asynchronous first (e.g. asking the schema registry about
 * a schema id it has not seen): the runner awaits `until` and parses the record again. Not poison; if `until`
 * rejects, the stage restarts from committed state (a transient failure).
 */
export class ParseDeferredError extends IsobarError {
  readonly until: Promise<unknown>

  constructor(until: Promise<unknown>, reason: string) {
    super(StreamErrorCodes.PARSE_DEFERRED, `parse deferred: ${reason}`, { retriable: true })
    this.name = 'ParseDeferredError'
    this.until = until
  }
}

export class InvalidTopologyError extends IsobarError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(StreamErrorCodes.INVALID_TOPOLOGY, message, { details })
    this.name = 'InvalidTopologyError'
  }
}

export class ChangelogCorruptError extends IsobarError {
  constructor(message: string, cause?: unknown) {
    super(StreamErrorCodes.CHANGELOG_CORRUPT, message, { cause })
    this.name = 'ChangelogCorruptError'
  }
}

/** A commit (offsets, outputs, changelog) failed; the runner rebuilds its tasks from the last committed state. */
export class CommitFailedError extends IsobarError {
  constructor(cause: unknown) {
    super(StreamErrorCodes.COMMIT_FAILED, `Stream commit failed: ${String((cause as Error)?.message ?? cause)}`, {
      cause,
      retriable: true,
    })
    this.name = 'CommitFailedError'
  }
}

export class RunnerStateError extends IsobarError {
  constructor(message: string) {
    super(StreamErrorCodes.RUNNER_STATE, message)
    this.name = 'RunnerStateError'
  }
}

/** The group's generation changed since the pending work was processed: it is discarded and replayed. */
export class RebalancedError extends IsobarError {
  constructor() {
    super(StreamErrorCodes.REBALANCED, 'The consumer group rebalanced; restarting from the committed state', {
      retriable: true,
    })
    this.name = 'RebalancedError'
  }
}

/**
 * The watchdog's finding: the group gave this member partitions (or a generation) that the runner has not had
 * active tasks for, for longer than the grace period. The runner rejoins and rebuilds from committed state.
 */
export class AssignmentNotActiveError extends IsobarError {
  constructor(details: { generationId?: number; assigned: number[]; active: number[]; forMs: number }) {
    super(
      StreamErrorCodes.ASSIGNMENT_NOT_ACTIVE,
      `Assigned partitions [${details.assigned.join(',')}]${details.generationId === undefined ? '' : ` (generation ${details.generationId})`} ` +
        `but active tasks [${details.active.join(',')}] for ${details.forMs} ms; rejoining`,
      { details, retriable: true },
    )
    this.name = 'AssignmentNotActiveError'
  }
}
