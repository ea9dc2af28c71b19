// Writes the generated docs: docs/errors.md (error catalogues) and docs/configuration.md (configuration schemas).
import { writeFileSync } from 'node:fs'
import { renderConfigurationMarkdown } from './docs/configuration.ts'
import { renderErrorsDoc } from './docs/errors.ts'

const root = new URL('../', import.meta.url)
writeFileSync(new URL('docs/errors.md', root), renderErrorsDoc())
writeFileSync(new URL('docs/configuration.md', root), renderConfigurationMarkdown())
process.stdout.write('wrote docs/errors.md and docs/configuration.md\n')
