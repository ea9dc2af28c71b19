// `npm run gen:monitoring`: writes every generated monitoring file (scrape configs, dashboards) under deploy/.
// The drift test (test/generate.test.ts) fails when a committed file differs from what this writes.
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generatedFiles } from './files.ts'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
for (const file of generatedFiles()) {
  const path = join(repoRoot, file.path)
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, file.content)
  process.stdout.write(`wrote ${file.path}\n`)
}
