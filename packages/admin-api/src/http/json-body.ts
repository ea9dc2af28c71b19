import type { FastifyInstance } from 'fastify'
import { InvalidRequestError } from '../errors.ts'

/** Deepest JSON nesting a request body may have; far beyond any real body, far below a stack overflow. */
export const MAX_BODY_DEPTH = 64

/**
 * True when `text` nests objects/arrays deeper than `limit`. One linear pass that skips string contents, and
 * stops at the first level over the limit, so a hostile body costs no more than reading it.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c)
        i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return false
}

/**
 * JSON bodies: Fastify's own parser (prototype-poisoning checks included), after a nesting check. Deep nesting
 * would otherwise pass validation where a value is free-form (a produced message) and overflow the stack later.
 */
export function installJsonBodyParser(app: FastifyInstance, maxDepth = MAX_BODY_DEPTH): void {
  const parse = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    if (nestsDeeperThan(text, maxDepth)) {
      done(new InvalidRequestError(`body: JSON nests deeper than ${maxDepth} levels`), undefined)
      return
    }
    void parse(request, text, done)
  })
}
