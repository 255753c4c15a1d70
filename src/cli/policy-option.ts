import { Option } from 'commander'
import { optionalText } from '../app/input.js'

/** The `--policy FILE` option of the retention commands. */
export function policyOption(): Option {
  return new Option('--policy <file>', 'retention policy file (default DATA/retention-policy.json when present)')
}

/** The policy file named by `--policy`, or `null` (the data directory's, else the defaults). */
export function policyFile(value: unknown): string | null {
  return optionalText('policy', value, 4_096)
}
