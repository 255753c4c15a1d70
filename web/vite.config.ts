import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

/**
 * The dashboard build: `web/` → `dist/web/`, served by `dialward serve` at `/`. The output has
 * fixed names (index.html, assets/app.js, assets/app.css): the server's role table lists each
 * route, and the answers carry ETags instead of hashed names. No code splitting.
 * `npm run dev:web` serves it with hot reload, forwarding /v1 to a server on 127.0.0.1:8080.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2_000,
    rolldownOptions: {
      output: { codeSplitting: false, entryFileNames: 'assets/app.js', assetFileNames: 'assets/app[extname]' },
    },
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
})
