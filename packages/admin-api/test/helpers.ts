import type { TestContext } from 'node:test'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { testKafkaClient } from '@isobar/testing'
import { buildConsoleApp, type ConsoleAppDeps } from '../src/index.ts'

export const TOKEN = 'test-token-123'
export const READ_TOKEN = 'test-read-token-456'

// Responses are asserted field by field, so the parsed body is deliberately untyped.
/* eslint-disable @typescript-eslint/no-explicit-any */
export interface TestApp {
  app: FastifyInstance
  /** An authorized request (admin token); `json` is the parsed body. */
  call: (
    method: InjectOptions['method'],
    url: string,
    payload?: unknown,
  ) => Promise<{ status: number; json: any; response: LightMyRequestResponse }>
  /** Runs `cleanup` when the test ends, before the app closes (node:test runs `after` hooks in order). */
  cleanup: (run: () => Promise<unknown>) => void
}

export function testApp(t: Pick<TestContext, 'after'>, deps: Partial<ConsoleAppDeps> = {}): TestApp {
  const app = buildConsoleApp({ kafka: testKafkaClient(), token: TOKEN, readToken: READ_TOKEN, ...deps })
  const cleanups: Array<() => Promise<unknown>> = []
  t.after(async () => {
    for (const run of cleanups.reverse()) await run().catch(() => undefined)
    await app.close()
  })
  return {
    app,
    cleanup: (run) => cleanups.push(run),
    async call(method, url, payload) {
      const response = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${TOKEN}` },
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      })
      return { status: response.statusCode, json: response.body ? JSON.parse(response.body) : undefined, response }
    },
  }
}
