// @isobar/learn: the learning path — Kafka concepts as lessons that run against a real cluster.
export { LESSONS, findLesson } from './catalogue.ts'
export { runLesson, type RunLessonOptions } from './runner.ts'
export { LearnErrorCodes, LessonFailedError, UnknownLessonError } from './errors.ts'
export type { BrokerControl, FigureValue, Figures, Lesson, LessonContext, LessonResult } from './lesson.ts'
