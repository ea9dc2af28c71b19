// Preloaded with `node --import` by run.test.ts: records the URL of every module the process loads (ESM and
// CommonJS, builtins included) and writes them, one a line, to the file named by ISOBAR_TEST_MODULE_TRACE at exit.
import { writeFileSync } from 'node:fs'
import { registerHooks } from 'node:module'

const traceFile = process.env.ISOBAR_TEST_MODULE_TRACE
const loaded: string[] = []
registerHooks({
  load(url, context, nextLoad) {
    loaded.push(url)
    return nextLoad(url, context)
  },
})
process.on('exit', () => {
  if (traceFile) writeFileSync(traceFile, `${loaded.join('\n')}\n`)
})
