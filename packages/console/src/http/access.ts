/**
 * Route access levels (the Admin API auth contract): `config: { access: 'public' | 'read' | 'admin' }`,
 * missing = admin.
 */
export type RouteAccess = 'public' | 'read' | 'admin'

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess
  }
}
