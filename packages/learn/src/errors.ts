import { IsobarError, type ErrorCatalogue } from '@isobar/core'

/** The learn package's error catalogue. */
export const LearnErrorCodes = {
  UNKNOWN_LESSON: 'ISOBAR_LEARN_UNKNOWN_LESSON',
  LESSON_FAILED: 'ISOBAR_LEARN_LESSON_FAILED',
} as const

export type LearnErrorCode = (typeof LearnErrorCodes)[keyof typeof LearnErrorCodes]

declare module '@isobar/core' {
  interface IsobarErrorCodeMap {
    learn: LearnErrorCode
  }
}

export const LearnErrorCatalogue: ErrorCatalogue<LearnErrorCode> = {
  package: '@isobar/learn',
  docs: {
    ISOBAR_LEARN_UNKNOWN_LESSON: {
      meaning: 'No lesson has this id.',
      retriable: false,
      action: 'Pick one from `isobar learn list`.',
    },
    ISOBAR_LEARN_LESSON_FAILED: {
      meaning: 'A lesson could not show what it teaches (a step timed out or the cluster misbehaved).',
      retriable: true,
      action: 'Run it again; check the cluster with `isobar kafka status`.',
    },
  },
}

export class UnknownLessonError extends IsobarError {
  constructor(id: string, known: readonly string[]) {
    super(LearnErrorCodes.UNKNOWN_LESSON, `unknown lesson "${id}" (expected one of: ${known.join(', ')})`, {
      details: { id },
    })
    this.name = 'UnknownLessonError'
  }
}

/** A lesson could not show what it teaches (the cluster misbehaved or a step timed out). */
export class LessonFailedError extends IsobarError {
  constructor(lesson: string, message: string, cause?: unknown) {
    super(LearnErrorCodes.LESSON_FAILED, `lesson ${lesson}: ${message}`, {
      retriable: true,
      details: { lesson },
      ...(cause === undefined ? {} : { cause }),
    })
    this.name = 'LessonFailedError'
  }
}
