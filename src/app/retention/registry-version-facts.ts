import type { RegistryVersionFact } from '../../core/retention/global-plan.js'
import type { RegistryVersion } from '../../store/repos/registries.js'

/** What retention weighs of each registry version: its registry, as-of date and the area codes it covers. */
export function registryVersionFacts(versions: readonly RegistryVersion[]): RegistryVersionFact[] {
  return versions.map((v) => ({ id: v.id, registry: v.registry, asOf: v.asOf, coverage: { full: v.coverage.full, areas: [...v.coverage.areas.keys()] } }))
}
