/**
 * Import rules the style notes ask for, checked over every package: (1) a package imports only what its
 * package.json declares (src: dependencies; tests and tooling: dependencies + devDependencies), never another
 * package's internals; (2) no import cycles between modules (value imports; `import type` is erased) and none
 * between packages' runtime dependencies; (3) every package has a README.md whose "## Boundaries" section says
 * what it owns and which packages its src must not import, and its src does not. Run by `npm run lint` through
 * scripts/check-imports.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'

export interface ImportRef {
  specifier: string
  /** `import type` / `export type`: erased at run time, so not part of a cycle. */
  typeOnly: boolean
}

const STATIC = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g

/** The modules a source file imports (static, re-exports, side-effect and dynamic imports). */
export function importsOf(text: string): ImportRef[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '')
  const refs: ImportRef[] = []
  for (const m of code.matchAll(STATIC)) refs.push({ specifier: m[2] ?? '', typeOnly: m[1] !== undefined })
  for (const m of code.matchAll(DYNAMIC)) refs.push({ specifier: m[1] ?? '', typeOnly: false })
  return refs
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; undefined for relative paths and Node built-ins. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return undefined
  if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] ?? '')) return undefined
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

/** Strongly connected components with more than one module (or a module importing itself): the cycles. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0
  const indices = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const cycles: string[][] = []
  const visit = (node: string): void => {
    indices.set(node, index)
    low.set(node, index)
    index++
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next)
        low.set(node, Math.min(low.get(node)!, low.get(next)!))
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, indices.get(next)!))
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = []
      let member: string | undefined
      do {
        member = stack.pop()!
        onStack.delete(member)
        component.push(member)
      } while (member !== node)
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort())
    }
  }
  for (const node of [...graph.keys()].sort()) if (!indices.has(node)) visit(node)
  return cycles
}

interface Manifest {
  name: string
  dir: string
  dependencies: Set<string>
  devDependencies: Set<string>
}

/** The packages a README's "- Must not import:" line names (before its "(why)"), or undefined when missing. */
export function forbiddenImports(readme: string): Set<string> | undefined {
  if (!/^## Boundaries$/m.test(readme) || !/^- Owns: \S/m.test(readme)) return undefined
  const line = /^- Must not import: (.*)$/m.exec(readme)?.[1]
  if (line === undefined) return undefined
  const list = line.split(' (')[0] ?? ''
  return new Set([...list.matchAll(/`(@?[a-z0-9@/._-]+)`/g)].map((m) => m[1] ?? ''))
}

function readManifest(dir: string): Manifest {
  const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string
    dependencies?: Record<string, string>
    devDependencies?: Record<string, string>
  }
  return {
    name: json.name,
    dir,
    dependencies: new Set(Object.keys(json.dependencies ?? {})),
    devDependencies: new Set(Object.keys(json.devDependencies ?? {})),
  }
}

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return ['node_modules', 'dist', 'lib'].includes(entry.name) ? [] : tsFiles(path)
    return /\.(ts|tsx|js)$/.test(entry.name) ? [path] : []
  })
}

/** Folders of a package whose files only run in tests or tooling (devDependencies allowed). */
const DEV_FOLDERS = ['test', 'test-chaos', 'scripts']
/** Packages a browser bundle or a tool provides without a declaration (none today). */
const IMPLICIT = new Set<string>()

/** Every problem in the repository at `root`, one line each (empty: clean). */
export function checkImports(root: string): string[] {
  const problems: string[] = []
  const packagesDir = join(root, 'packages')
  const manifests = readdirSync(packagesDir)
    .filter((name) => existsSync(join(packagesDir, name, 'package.json')))
    .map((name) => readManifest(join(packagesDir, name)))
  const byName = new Map(manifests.map((m) => [m.name, m]))
  const rootManifest = readManifest(root)
  const graph = new Map<string, string[]>()

  const entryOf = (pkg: string): string | undefined => {
    const manifest = byName.get(pkg)
    if (!manifest) return undefined
    const entry = join(manifest.dir, 'src', 'index.ts')
    return existsSync(entry) ? entry : undefined
  }

  const forbidden = new Map<string, Set<string>>()
  for (const manifest of manifests) {
    const readme = join(manifest.dir, 'README.md')
    const names = existsSync(readme) ? forbiddenImports(readFileSync(readme, 'utf8')) : undefined
    if (names === undefined) {
      problems.push(
        `${relative(root, readme)}: missing, or without a "## Boundaries" section (- Owns: / - Must not import:)`,
      )
    }
    forbidden.set(manifest.name, names ?? new Set())
  }

  const scan = (file: string, manifest: Manifest | undefined, dev: boolean): void => {
    const edges: string[] = []
    const where = relative(root, file)
    for (const ref of importsOf(readFileSync(file, 'utf8'))) {
      const pkg = packageOf(ref.specifier)
      if (pkg === undefined) {
        if (!ref.specifier.startsWith('.')) continue
        const target = resolve(dirname(file), ref.specifier)
        if (!existsSync(target)) {
          problems.push(`${where}: imports ${ref.specifier}, which does not exist`)
          continue
        }
        if (manifest && !relative(manifest.dir, target).split('/')[0]?.match(/^[^.]/)) {
          problems.push(`${where}: reaches outside its package with ${ref.specifier}; import the package instead`)
        }
        if (!ref.typeOnly) edges.push(target)
        continue
      }
      if (manifest && !dev && forbidden.get(manifest.name)?.has(pkg)) {
        problems.push(`${where}: imports ${pkg}, which ${relative(root, manifest.dir)}/README.md says it must not`)
      }
      const declared = manifest
        ? manifest.dependencies.has(pkg) || (dev && manifest.devDependencies.has(pkg)) || manifest.name === pkg
        : rootManifest.devDependencies.has(pkg) || byName.has(pkg)
      if (!declared && !IMPLICIT.has(pkg)) {
        const kind = manifest && dev ? 'dependencies or devDependencies' : 'dependencies'
        problems.push(`${where}: imports ${pkg}, not in the ${kind} of ${manifest?.name ?? 'the root package.json'}`)
      }
      const entry = entryOf(pkg)
      if (entry && ref.specifier === pkg && !ref.typeOnly && entry !== file) edges.push(entry)
    }
    graph.set(file, edges)
  }

  for (const manifest of manifests) {
    for (const file of tsFiles(join(manifest.dir, 'src'))) scan(file, manifest, false)
    for (const folder of ['bin', ...DEV_FOLDERS]) {
      for (const file of tsFiles(join(manifest.dir, folder))) scan(file, manifest, folder !== 'bin')
    }
  }
  for (const file of tsFiles(join(root, 'scripts'))) scan(file, undefined, true)

  for (const cycle of findCycles(graph)) {
    problems.push(`import cycle: ${cycle.map((file) => relative(root, file)).join(' → ')}`)
  }
  const packageGraph = new Map(manifests.map((m) => [m.name, [...m.dependencies].filter((d) => byName.has(d))]))
  for (const cycle of findCycles(packageGraph)) problems.push(`package dependency cycle: ${cycle.join(' → ')}`)
  return problems
}
