import { defineConfig } from 'vitest/config'
import base from './vitest.config.js'

/** `npm run test:crash`: the full crash-point enumeration (test/crash only, SQLite). */
export default defineConfig({ ...base, test: { ...base.test, include: ['test/crash/**/*.crash.test.ts'], exclude: [] } })
