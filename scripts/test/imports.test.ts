import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, test } from 'node:test'
import { checkImports, findCycles, importsOf, packageOf } from '../lint/imports.ts'

test('importsOf: static, re-exports, side effects and dynamic imports; type-only ones marked; comments ignored', () => {
  const text = [
    "import { a } from './a.ts'",
    "import type { B } from '@isobar/b'",
    "export { c } from 'c-lib/sub'",
    "import 'side'",
    "import {\n  d,\n  e,\n} from 'node:fs'",
    "const f = await import('./f.ts')",
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
  const problems = checkImports(root)
  assert.deepEqual(problems, [
    'packages/a/test/one.test.ts: imports undeclared-lib, not in the dependencies or devDependencies of @x/a',
    'packages/a/test/one.test.ts: reaches outside its package with ../../b/src/index.ts; import the package instead',
    'packages/b/src/index.ts: imports left-pad, not in the dependencies of @x/b',
    'import cycle: packages/a/src/one.ts → packages/a/src/two.ts',
    'package dependency cycle: @x/a → @x/b',
  ])
})
