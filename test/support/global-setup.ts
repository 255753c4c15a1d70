import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Builds dist/ once so that CLI tests run the same JavaScript that `bin/dialward` runs.
 * Set DIALWARD_SKIP_BUILD=1 to skip it when running only pure unit tests.
 */
export default function setup(): void {
  if (process.env['DIALWARD_SKIP_BUILD'] === '1') return
  try {
    execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`], {
      cwd: root,
      stdio: 'inherit',
    })
  } catch {
    // Type errors are reported by the typecheck step; the emitted JavaScript is still usable.
    if (!existsSync(`${root}dist/cli/main.js`)) throw new Error('build failed: dist/cli/main.js was not emitted')
  }
}
