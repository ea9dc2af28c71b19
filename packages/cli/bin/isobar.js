#!/usr/bin/env node
// Thin launcher: the CLI is TypeScript that Node 24 runs directly (type stripping).
import module from 'node:module'

// V8 code cache of the CLI's modules (type-stripped TypeScript and commander included) under
// os.tmpdir()/node-compile-cache (NODE_COMPILE_CACHE overrides, NODE_DISABLE_COMPILE_CACHE=1 turns it off): a warm
// start takes about half the CPU. Not under coverage (NODE_V8_COVERAGE), which a code cache makes less precise.
if (!process.env.NODE_V8_COVERAGE) module.enableCompileCache?.()
await import('../src/main.ts')
