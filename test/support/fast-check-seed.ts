import fc from 'fast-check'

/**
 * Property tests explore new random inputs on every developer run. CI pins the seed
 * (`FC_SEED`, set by .ci/run) so a landing never depends on luck; a failure prints its seed and
 * path, and the counterexample becomes a regression case.
 */
const seed = process.env['FC_SEED']
if (seed !== undefined && seed !== '') fc.configureGlobal({ seed: Number(seed) })
