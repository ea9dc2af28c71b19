import type { FastifyInstance } from 'fastify'
import { InvalidRequestError } from '../errors.ts'

interface PropertySchema {
  type?: string | string[]
}

const INTEGER = /^-?(0|[1-9][0-9]*)$/
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/

/**
 * Validation never coerces (`{"name": false}` stays a boolean and is refused). A query string only has strings,
 * so this hook converts, before validation, exactly the values that spell a declared integer, number or boolean
 * (`"12"`, `"true"`); anything else (`"1e3"`, `" 1"`, `"yes"`, a repeated parameter) stays as sent and fails.
 * Routes without a query schema refuse any query parameter.
 */
export function installStrictQuery(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    const routeSchema = request.routeOptions.schema
    const schema = routeSchema?.querystring as { properties?: Record<string, PropertySchema> } | undefined
    const query = request.query as Record<string, unknown> | undefined
    if (!query) return done()
    // A documented route that declares no query parameters takes none (undocumented pages may have their own).
    if (routeSchema && !routeSchema.hide && !schema) {
      const [name] = Object.keys(query)
      if (name !== undefined)
        return done(new InvalidRequestError(`querystring: this route takes no parameter '${name}'`, name))
    }
    if (!schema?.properties) return done()
    for (const [name, property] of Object.entries(schema.properties)) {
      const value = query[name]
      if (typeof value !== 'string') continue
      const types = Array.isArray(property.type) ? property.type : [property.type]
      if (types.includes('integer') && INTEGER.test(value) && Number.isSafeInteger(Number(value))) {
        query[name] = Number(value)
      } else if (types.includes('number') && NUMBER.test(value)) query[name] = Number(value)
      else if (types.includes('boolean') && (value === 'true' || value === 'false')) query[name] = value === 'true'
    }
    done()
  })
}
