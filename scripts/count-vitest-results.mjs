#!/usr/bin/env node
// Prints the summary line of a vitest JSON report: "N passed, N failed, N skipped".
// Usage: node scripts/count-vitest-results.mjs <vitest-results.json>
// A missing or unreadable report counts as a failed run: prints "0 passed, 0 failed, 0 skipped" after
// an explanation on stderr, and exits 1. Exits 1 too when the report has failures or failed files.
import { readFileSync } from 'node:fs'

const file = process.argv[2]
if (!file) {
  console.error('usage: count-vitest-results.mjs <vitest-results.json>')
  process.exit(2)
}

let report
try {
  report = JSON.parse(readFileSync(file, 'utf8'))
} catch (error) {
  console.error(`no usable vitest report at ${file} (${error.message}): the test runner did not finish`)
  console.log('0 passed, 0 failed, 0 skipped')
  process.exit(1)
}

const passed = report.numPassedTests ?? 0
const failed = report.numFailedTests ?? 0
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
const failedFiles = report.numFailedTestSuites ?? 0
if (failedFiles > 0) {
  const names = (report.testResults ?? []).filter((r) => r.status === 'failed').map((r) => r.name)
  console.error(`${failedFiles} test file(s) failed: ${names.join(', ')}`)
}
if (report.success === false && failed === 0 && failedFiles === 0) {
  console.error('vitest reported a failed run (an unhandled error or a global setup failure: see above)')
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 || failedFiles > 0 || report.success === false ? 1 : 0)
