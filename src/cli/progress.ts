/** A progress bar on stderr, drawn only when stderr is a terminal (at most ten times a second). */
export function progressReporter(label: string): { update: (count: number, done: number, total: number | null) => void; done: () => void } {
  const tty = process.stderr.isTTY === true
  let drawn = false
  let last = 0
  return {
    update: (count, done, total) => {
      if (!tty) return
      const now = Date.now()
      if (now - last < 100) return
      last = now
      const width = 30
      const share = total !== null && total > 0 ? Math.min(1, done / total) : null
      const bar = share === null ? '' : `[${'#'.repeat(Math.round(share * width)).padEnd(width, '-')}] ${(share * 100).toFixed(0).padStart(3)}% `
      process.stderr.write(`\r${label} ${bar}${count.toLocaleString('en-US')}\x1b[K`)
      drawn = true
    },
    done: () => {
      if (drawn) process.stderr.write('\r\x1b[K')
    },
  }
}
