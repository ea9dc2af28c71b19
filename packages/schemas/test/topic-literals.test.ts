import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { TopicNames } from '../src/topics.ts'

const PACKAGES = fileURLToPath(new URL('../../', import.meta.url))

/** Files allowed to spell a topic name: the catalogue itself. */
const ALLOWED = new Set(['schemas/src/topics.ts'])
/** Files not converted yet (none: keep it that way). */
const PENDING = new Set<string>([])

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path)
    return /\.tsx?$/.test(entry.name) ? [path] : []
  })
}

/** Comments may name topics (that is documentation); code may not. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
}

export function topicLiterals(text: string): string[] {
  const names = Object.values(TopicNames).map((name) => name.replaceAll('.', '\\.'))
  const literal = new RegExp(`(['"])(${names.join('|')})\\1`, 'g')
  return [...withoutComments(text).matchAll(literal)].map((match) => match[2] ?? '')
}

test('the literal finder sees quoted names in code and ignores comments, prose and longer names', () => {
  assert.deepEqual(
    topicLiterals(`const a = 'sensors.readings'\nconst b = "_schemas"\nconst c = 'the \`weather.dlq\` topic'`),
    ['sensors.readings', '_schemas'],
  )
  assert.deepEqual(
    topicLiterals(`// 'sensors.readings'\n/** \`weather.alerts\` */\nconst d = 'sensors.readings-value'`),
    [],
  )
})

test('no package source spells a topic name: they come from TopicNames in @isobar/schemas', () => {
  const found: string[] = []
  for (const pkg of readdirSync(PACKAGES)) {
    let files: string[]
    try {
      files = sourceFiles(join(PACKAGES, pkg, 'src'))
    } catch {
      continue
    }
    for (const file of files) {
      const name = relative(PACKAGES, file)
      if (ALLOWED.has(name) || PENDING.has(name)) continue
      for (const topic of topicLiterals(readFileSync(file, 'utf8'))) found.push(`${name}: '${topic}'`)
    }
  }
  assert.deepEqual(found, [], 'use TopicNames.<NAME> from @isobar/schemas instead')
})
