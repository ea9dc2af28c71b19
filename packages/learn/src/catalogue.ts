import { UnknownLessonError } from './errors.ts'
import type { Lesson } from './lesson.ts'
import { acks } from './lessons/acks.ts'
import { compression } from './lessons/compression.ts'
import { consumerGroups } from './lessons/consumer-groups.ts'
import { deliveryGuarantees } from './lessons/delivery-guarantees.ts'
import { lag } from './lessons/lag.ts'
import { offsets } from './lessons/offsets.ts'
import { partitioning } from './lessons/partitioning.ts'
import { schemas } from './lessons/schemas.ts'
import { topics } from './lessons/topics.ts'
import { windows } from './lessons/windows.ts'

/** The learning path, in the order a newcomer should take it. */
export const LESSONS: readonly Lesson[] = [
  topics,
  deliveryGuarantees,
  acks,
  partitioning,
  consumerGroups,
  offsets,
  schemas,
  compression,
  windows,
  lag,
]

export function findLesson(id: string): Lesson {
  const lesson = LESSONS.find((l) => l.id === id)
  if (!lesson)
    throw new UnknownLessonError(
      id,
      LESSONS.map((l) => l.id),
    )
  return lesson
}
