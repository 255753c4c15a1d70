import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'

const BLOCK = 1 << 20

/**
 * The files under `dir` whose bytes contain `needle` anywhere (read a block at a time with an
 * overlap, so a data directory of gigabytes is scanned in bounded memory and a needle split
 * across two blocks is still found). Never call it while this process has the SQLite database
 * open: closing any descriptor of the database file drops every POSIX lock the process holds on
 * it, and other processes' writes then corrupt the open connection's view.
 */
export function filesContaining(dir: string, needle: string): string[] {
  const pattern = Buffer.from(needle, 'utf8')
  const hits: string[] = []
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      if (statSync(p).isDirectory()) walk(p)
      else if (fileContains(p, pattern)) hits.push(p)
    }
  }
  walk(dir)
  return hits
}

function fileContains(path: string, pattern: Buffer): boolean {
  const overlap = pattern.length - 1
  const buf = Buffer.alloc(BLOCK + overlap)
  const fd = openSync(path, 'r')
  try {
    let kept = 0
    for (;;) {
      const n = readSync(fd, buf, kept, BLOCK, null)
      if (n === 0) return false
      const filled = kept + n
      if (buf.subarray(0, filled).indexOf(pattern) >= 0) return true
      kept = Math.min(overlap, filled)
      buf.copy(buf, 0, filled - kept, filled)
    }
  } finally {
    closeSync(fd)
  }
}
