import { RegistryRequestError } from '@isobar/core'
import { InvalidRequestError, NotFoundError, UpstreamError } from '../errors.ts'

/** A schema registry call whose failures become the console's errors: 404, 400, or 502 (the registry failed). */
export async function registryCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof RegistryRequestError) {
      if (error.status === 404) throw new NotFoundError(`${what}: not found in the schema registry`)
      if (error.status === 422 || error.status === 400) throw new InvalidRequestError(`${what}: ${error.message}`)
      throw new UpstreamError(`${what}: the schema registry did not answer (${error.message})`, error)
    }
    throw error
  }
}
