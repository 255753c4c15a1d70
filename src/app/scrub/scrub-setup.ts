import { createSecretKey } from 'node:crypto'
import { BlindIndexer } from '../../crypto/blind-index.js'
import type { Keyring } from '../../crypto/keyring.js'
import type { RulePack } from '../../core/rules/rule-pack.js'
import { compileGateRules } from '../gate/gate-rules.js'
import { GateSession, type SessionFacts } from '../gate/gate-session.js'
import { RegistrySnapshot, type RegistrySnapshotData } from '../indexes/registry-snapshot.js'
import { recordIndexFrom, type RecordIndexData } from './record-index.js'
import { ScrubEngine, type RowLayout } from './scrub-engine.js'

/** Everything a worker thread needs to scrub exactly as the main thread would (plain data and shared buffers). */
export interface ScrubSetup {
  readonly facts: Omit<SessionFacts, 'rules'>
  readonly pack: RulePack
  readonly registries: RegistrySnapshotData
  readonly records: RecordIndexData
  /** The blind-index key, only when records known by blind index alone exist. */
  readonly blindIndex: { readonly keyId: string; readonly key: Uint8Array } | null
  readonly layout: RowLayout
}

/** Builds the engine a setup describes (in a worker thread: the same session, snapshot and records as the main thread's). */
export function engineFrom(setup: ScrubSetup): ScrubEngine {
  const session = new GateSession({ ...setup.facts, rules: compileGateRules(setup.pack) })
  let indexOf: ((e164: string) => string) | null = null
  if (setup.blindIndex !== null) {
    const { keyId, key } = setup.blindIndex
    const indexer = new BlindIndexer({ blindIndexKeyId: keyId, blindIndexKey: () => createSecretKey(Buffer.from(key)) } as unknown as Keyring)
    indexOf = (e164) => indexer.phone(e164)
  }
  return new ScrubEngine(session, RegistrySnapshot.from(setup.registries), recordIndexFrom(setup.records, indexOf), setup.layout)
}
