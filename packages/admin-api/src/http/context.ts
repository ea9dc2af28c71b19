import type { Admin, MessageDecoder, Producer } from '@isobar/core'
import type { RegistryValueEncoder } from './value-schema.ts'

/** What the route modules share: one admin client, a lazily opened producer, the message decoder and encoder. */
export interface RouteContext {
  admin: Admin
  producer(): Producer
  decoder: MessageDecoder
  /** Validates and registry-frames produced values; absent without a schema registry. */
  valueEncoder?: RegistryValueEncoder
}
