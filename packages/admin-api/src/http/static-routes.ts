/**
 * The browser console's static files (the Vite build of packages/web) at `/`, public: the app itself asks for a
 * session before it shows anything. Unknown paths outside /api get index.html, so deep links (/topics/x)
 * load the app, which routes them. Hashed files under /assets are cached for a year.
 */
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ConsoleErrorCodes } from '../errors.ts'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Isobar console</title>
<p>The console is not built. Run <code>npm run build -w @isobar/web</code> (npm start and npm test do it).</p>`

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
}

async function fileIn(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return undefined
  }
  if (decoded.includes('\0')) return undefined
  const path = normalize(join(root, decoded))
  if (path !== root && !path.startsWith(root + sep)) return undefined
  const info = await stat(path).catch(() => undefined)
  return info?.isFile() ? path : undefined
}

/** The console's own pages (its router's paths): a deep link to any of them loads index.html. */
const PAGES = ['/', '/alerts', '/weather', '/topics', '/groups', '/schemas', '/dlq']
const PAGE_PREFIXES = ['/zones', '/sensors', '/topics', '/groups', '/schemas']

export function staticRoutes(app: FastifyInstance, distDir: string): void {
  const root = normalize(distDir)
  const send = async (reply: FastifyReply, path: string, immutable: boolean): Promise<FastifyReply> => {
    const type = TYPES[extname(path)] ?? 'application/octet-stream'
    return reply
      .headers(SECURITY_HEADERS)
      .header('content-type', type)
      .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .send(await readFile(path))
  }
  const page = async (_request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const index = await fileIn(root, '/index.html')
    if (!index)
      return reply.headers(SECURITY_HEADERS).header('content-type', 'text/html; charset=utf-8').send(NOT_BUILT)
    return send(reply, index, false)
  }
  const options = { config: { access: 'public' as const }, schema: { hide: true } }
  for (const path of PAGES) app.get(path, options, page)
  for (const prefix of PAGE_PREFIXES) app.get(`${prefix}/:id`, options, page)
  app.get<{ Params: { '*': string } }>('/assets/*', options, async (request, reply) => {
    const file = await fileIn(root, `/assets/${request.params['*']}`)
    if (!file) {
      return reply.code(404).send({ error: ConsoleErrorCodes.ROUTE_NOT_FOUND, message: `No file ${request.url}` })
    }
    return send(reply, file, true)
  })
}
