import { DeliveryError } from './errors.ts'

export type Fetch = typeof fetch

/** POSTs a JSON body; resolves on 2xx, throws DeliveryError otherwise (status, or undefined when unanswered). */
export async function postJson(
  fetchFn: Fetch,
  channel: string,
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<void> {
  let response: Response
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    })
  } catch (error) {
    throw new DeliveryError(channel, url, undefined, error)
  }
  // Drain the body so the connection can be reused; its content does not matter.
  await response.arrayBuffer().catch(() => undefined)
  if (!response.ok) throw new DeliveryError(channel, url, response.status)
}
