import type { Admin, Producer } from '@isobar/core'
import type { MessageDecoder } from '../decode.ts'

/** What the route modules share: one admin client, a lazily opened producer, the message decoder. */
export interface RouteContext {
  admin: Admin
  producer(): Producer
  decoder: MessageDecoder
}
