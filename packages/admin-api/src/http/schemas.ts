/** JSON Schemas shared by the routes; they validate requests and feed the OpenAPI document. */

export const errorSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string' }, message: { type: 'string' } },
} as const

/** The error responses a route documents besides its success: always 400, 401 and 403, plus `statuses`. */
export function errorResponses(...statuses: number[]): Record<number, typeof errorSchema> {
  return Object.fromEntries([...new Set([400, 401, 403, ...statuses])].map((s) => [s, errorSchema]))
}

export const topicName = { type: 'string', minLength: 1, maxLength: 249, pattern: '^[a-zA-Z0-9._-]+$' } as const
export const groupId = { type: 'string', minLength: 1, maxLength: 1000 } as const

export const topicParams = {
  type: 'object',
  required: ['topic'],
  properties: { topic: topicName },
} as const

export const groupParams = {
  type: 'object',
  required: ['group'],
  properties: { group: groupId },
} as const

/** Every /api route but the session login: a bearer token, or the browser's session cookie. */
export const secured: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { sessionCookie: [] }]

export const roleSchema = { type: 'string', enum: ['read', 'admin'] } as const

/** Offsets fit a JSON number far beyond any real log (2^53 records), so the API shows them as numbers. */
export function num(value: bigint): number {
  return Number(value)
}

export function numOrNull(value: bigint | null): number | null {
  return value === null ? null : Number(value)
}
