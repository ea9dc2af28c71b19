// `npm run lint` step: undeclared dependencies, imports across package internals, and import cycles.
import { fileURLToPath } from 'node:url'
import { checkImports } from './lint/imports.ts'

const problems = checkImports(fileURLToPath(new URL('../', import.meta.url)))
for (const problem of problems) process.stderr.write(`${problem}\n`)
if (problems.length > 0) {
  process.stderr.write(`check-imports: ${problems.length} problem(s)\n`)
  process.exitCode = 1
} else {
  process.stdout.write('check-imports: dependencies declared, no import cycles\n')
}
