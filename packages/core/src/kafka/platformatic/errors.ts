/** True when the error, or any error it wraps, is the broker's protocol error `apiId` (e.g. TOPIC_ALREADY_EXISTS). */
export function hasProtocolError(error: unknown, apiId: string): boolean {
  const seen = new Set<unknown>()
  const visit = (e: unknown): boolean => {
    if (!e || typeof e !== 'object' || seen.has(e)) return false
    seen.add(e)
    const candidate = e as { apiId?: unknown; errors?: unknown; cause?: unknown; message?: unknown }
    if (candidate.apiId === apiId) return true
    if (typeof candidate.message === 'string' && candidate.message.includes(apiId)) return true
    if (Array.isArray(candidate.errors) && candidate.errors.some(visit)) return true
    return visit(candidate.cause)
  }
  return visit(error)
}

/** The broker's own explanations (`serverErrorMessage`) in the error or any error it wraps, without repeats. */
export function serverErrorMessages(error: unknown): string[] {
  const seen = new Set<unknown>()
  const found: string[] = []
  const visit = (e: unknown): void => {
    if (!e || typeof e !== 'object' || seen.has(e)) return
    seen.add(e)
    const candidate = e as { serverErrorMessage?: unknown; errors?: unknown; cause?: unknown }
    const text = candidate.serverErrorMessage
    if (typeof text === 'string' && text !== '' && !found.includes(text)) found.push(text)
    if (Array.isArray(candidate.errors)) candidate.errors.forEach(visit)
    visit(candidate.cause)
  }
  visit(error)
  return found
}

/**
 * UNKNOWN_TOPIC_OR_PARTITION in either of its forms: the broker's protocol error, or the plain UserError
 * "Unknown topic <name>." that @platformatic/kafka's metadata path turns it into (it drops the protocol error).
 */
export function isUnknownTopicError(error: unknown): boolean {
  if (hasProtocolError(error, 'UNKNOWN_TOPIC_OR_PARTITION')) return true
  const message = (error as { message?: unknown } | undefined)?.message
  return typeof message === 'string' && message.startsWith('Unknown topic ')
}

/**
 * False when the client marked the error, or any error it wraps, as not retriable (`canRetry: false`): retrying the
 * same request can never succeed (e.g. MESSAGE_TOO_LARGE, TOPIC_AUTHORIZATION_FAILED). True otherwise — including
 * when the client gave up on a retriable error after its retry budget (the delivery timeout).
 */
export function isRetriable(error: unknown): boolean {
  const seen = new Set<unknown>()
  const nonRetriable = (e: unknown): boolean => {
    if (!e || typeof e !== 'object' || seen.has(e)) return false
    seen.add(e)
    const candidate = e as { canRetry?: unknown; errors?: unknown; cause?: unknown }
    if (candidate.canRetry === false) return true
    if (Array.isArray(candidate.errors) && candidate.errors.some(nonRetriable)) return true
    return nonRetriable(candidate.cause)
  }
  return !nonRetriable(error)
}

/** Broker refusals of the records themselves: re-sending them can never succeed, other records are not at fault. */
export const RECORD_REFUSALS = [
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TIMESTAMP',
] as const

/** The broker's code when it refused the records of a produce request (see RECORD_REFUSALS), else undefined. */
export function recordRefusalCode(error: unknown): string | undefined {
  return RECORD_REFUSALS.find((code) => hasProtocolError(error, code))
}
