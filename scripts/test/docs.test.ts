import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { RegistryError, RegistryErrorCatalogue, RegistryErrorCodes } from '@isobar/registry'
import { renderConfigurationMarkdown } from '../docs/configuration.ts'
import { ALL_ERROR_DOCS, ERROR_CATALOGUES, renderErrorsDoc } from '../docs/errors.ts'

const doc = (name: string): string => readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8')

test('docs/errors.md is what the catalogues generate (run `npm run docs` after changing a catalogue)', () => {
  assert.equal(doc('errors.md'), renderErrorsDoc())
})

test('docs/configuration.md is what the schemas generate (run `npm run docs` after changing a schema)', () => {
  assert.equal(doc('configuration.md'), renderConfigurationMarkdown())
})

test('error codes are unique across catalogues and follow ISOBAR_<PACKAGE>_<WHAT>', () => {
  const codes = ERROR_CATALOGUES.flatMap((catalogue) => Object.keys(catalogue.docs))
  assert.equal(new Set(codes).size, codes.length)
  for (const code of codes) assert.match(code, /^ISOBAR_[A-Z]+(_[A-Z0-9]+)+$/)
})

test('the doc lists every code of the closed union once', () => {
  const listed = ERROR_CATALOGUES.flatMap((catalogue) => Object.keys(catalogue.docs)).sort()
  assert.deepEqual(listed, Object.keys(ALL_ERROR_DOCS).sort())
})

test('the documented retriable flag is the one a registry error carries', () => {
  for (const code of Object.values(RegistryErrorCodes)) {
    assert.equal(new RegistryError(code, 'x').retriable, RegistryErrorCatalogue.docs[code].retriable, code)
  }
})
