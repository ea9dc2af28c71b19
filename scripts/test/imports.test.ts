import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, test } from 'node:test'
import { checkImports, findCycles, forbiddenImports, importsOf, packageOf } from '../lint/imports.ts'

test('importsOf: static, re-exports, side effects and dynamic imports; type-only ones marked; comments ignored', () => {
  const text = [
    "import { a } from './a.ts'",
    "import type { B } from '@isobar/b'",
    "export { c } from 'c-lib/sub'",
    "import 'side'",
    "import {\n  d,\n  e,\n} from 'node:fs'",
    // Spelled in two pieces so that this file does not itself import ./f.ts in the eyes of the checker.
    'const f = await imp' + "ort('./f.ts')",
    "/* import { g } from 'g' */",
  ].join('\n')
  assert.deepEqual(importsOf(text), [
    { specifier: './a.ts', typeOnly: false },
    { specifier: '@isobar/b', typeOnly: true },
    { specifier: 'c-lib/sub', typeOnly: false },
    { specifier: 'side', typeOnly: false },
    { specifier: 'node:fs', typeOnly: false },
    { specifier: './f.ts', typeOnly: false },
  ])
  assert.equal(packageOf('@isobar/core/src/x.ts'), '@isobar/core')
  assert.equal(packageOf('ajv/dist/2020.js'), 'ajv')
  assert.equal(packageOf('fs'), undefined)
  assert.equal(packageOf('./x.ts'), undefined)
})

test('forbiddenImports: the names before "(why)" on the Must-not-import line; undefined without the section', () => {
  const readme = '# x\n\n## Boundaries\n\n- Owns: things.\n- Must not import: `@x/a`, `b` (because `@x/c` does).\n'
  assert.deepEqual(forbiddenImports(readme), new Set(['@x/a', 'b']))
  assert.equal(forbiddenImports('# x\n\n- Must not import: `@x/a`\n'), undefined)
})

test('findCycles: reports each cycle once, self-imports included, and nothing for a DAG', () => {
  const graph = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a', 'd']],
    ['d', []],
    ['e', ['e']],
  ])
  assert.deepEqual(findCycles(graph), [['a', 'b', 'c'], ['e']])
  assert.deepEqual(
    findCycles(
      new Map([
        ['x', ['y']],
        ['y', []],
      ]),
    ),
    [],
  )
})

const root = mkdtempSync(join(tmpdir(), 'isobar-imports-'))
after(() => rmSync(root, { recursive: true, force: true }))

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), text)
}

test('checkImports: undeclared packages, reaching into another package, module and package cycles', () => {
  write('package.json', JSON.stringify({ name: 'root', devDependencies: {} }))
  write('packages/a/package.json', JSON.stringify({ name: '@x/a', dependencies: { '@x/b': '1' } }))
  write('packages/b/package.json', JSON.stringify({ name: '@x/b', dependencies: { '@x/a': '1' } }))
  write('packages/a/src/index.ts', "export { one } from './one.ts'\n")
  write('packages/a/src/one.ts', "import { two } from './two.ts'\nexport const one = 1\n")
  write('packages/a/src/two.ts', "import { one } from './one.ts'\nimport type { T } from './types.ts'\n")
  write('packages/a/src/types.ts', "import { two } from './two.ts'\n")
  write('packages/a/test/one.test.ts', "import 'undeclared-lib'\nimport { x } from '../../b/src/index.ts'\n")
  write('packages/b/src/index.ts', "import { one } from '@x/a'\nimport 'left-pad'\n")
  write('packages/a/README.md', '# a\n\n## Boundaries\n\n- Owns: a.\n- Must not import: `@x/b` (a is below b).\n')
  write('packages/a/src/three.ts', "import { b } from '@x/b'\n")
  const problems = checkImports(root)
  assert.deepEqual(problems, [
    'packages/b/README.md: missing, or without a "## Boundaries" section (- Owns: / - Must not import:)',
    'packages/a/src/three.ts: imports @x/b, which packages/a/README.md says it must not',
    'packages/a/test/one.test.ts: imports undeclared-lib, not in the dependencies or devDependencies of @x/a',
    'packages/a/test/one.test.ts: reaches outside its package with ../../b/src/index.ts; import the package instead',
    'packages/b/src/index.ts: imports left-pad, not in the dependencies of @x/b',
    'import cycle: packages/a/src/one.ts → packages/a/src/two.ts',
    'package dependency cycle: @x/a → @x/b',
  ])
})
