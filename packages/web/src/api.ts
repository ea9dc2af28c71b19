/**
 * The Admin API from the browser: same origin, the session cookie, and `X-Requested-With: isobar` on every
 * request (the API requires it on cookie-authenticated writes). Failures become ApiError with the API's own
 * sentence, so every view can say in words what went wrong.
 */

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  constructor(status: number, code: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
  }
}

/** Called on any 401 (the session ended): the app shows the login page. */
let onUnauthorized: () => void = () => undefined

export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler
}

function explain(status: number, body: unknown): ApiError {
  const b = (body ?? {}) as { error?: string; message?: string }
  const fallback =
    status === 0
      ? 'The console could not reach the Admin API (is `npm start` still running?)'
      : status === 401
        ? 'Your session has ended; sign in again'
        : status === 403
          ? 'Your role may not do this'
          : `The Admin API answered HTTP ${status}`
  return new ApiError(status, b.error ?? `HTTP_${status}`, b.message ?? fallback)
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        'x-requested-with': 'isobar',
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  } catch {
    throw explain(0, undefined)
  }
  const text = await response.text()
  let parsed: unknown = undefined
  if (text) {
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = { message: text.slice(0, 200) }
    }
  }
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith('/api/session')) onUnauthorized()
    throw explain(response.status, parsed)
  }
  return parsed as T
}

export const get = <T>(path: string): Promise<T> => api<T>('GET', path)
export const post = <T>(path: string, body?: unknown): Promise<T> => api<T>('POST', path, body ?? {})
export const patch = <T>(path: string, body: unknown): Promise<T> => api<T>('PATCH', path, body)
export const del = <T>(path: string): Promise<T> => api<T>('DELETE', path)

export function enc(segment: string): string {
  return encodeURIComponent(segment)
}
