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

/**
 * UNKNOWN_TOPIC_OR_PARTITION in either of its forms: the broker's protocol error, or the plain UserError
 * "Unknown topic <name>." that @platformatic/kafka's metadata path turns it into (it drops the protocol error).
 */
export function isUnknownTopicError(error: unknown): boolean {
  if (hasProtocolError(error, 'UNKNOWN_TOPIC_OR_PARTITION')) return true
  const message = (error as { message?: unknown } | undefined)?.message
  return typeof message === 'string' && message.startsWith('Unknown topic ')
}
