import { describe, it } from 'vitest'
import { crashAndCheck, SCENARIOS } from '../crash/scenarios.js'

// The CI-sized subset of `npm run test:crash`: each operation killed at its first point.
describe('crash points (CI subset: one point per operation)', () => {
  for (const s of SCENARIOS) it(`${s.name}: kill -9 at its first point, then integrity, audit verify, acknowledged writes, whole versions`, () => crashAndCheck(s, s.arms[0]!), 300_000)
})
