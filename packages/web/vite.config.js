// @ts-check
import { defineConfig } from 'vite'

// Preact's automatic JSX runtime; the console is served by the Admin API at `/`, its API under /api.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 300,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
})
