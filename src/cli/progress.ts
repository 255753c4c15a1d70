/** A progress line on stderr, drawn only when stderr is a terminal. */
export function progressReporter(): { update: (rows: number) => void; done: () => void } {
  const tty = process.stderr.isTTY === true
  let drawn = false
  return {
    update: (rows) => {
      if (!tty) return
      process.stderr.write(`\rscrubbing… ${rows.toLocaleString('en-US')} rows`)
      drawn = true
    },
    done: () => {
      if (drawn) process.stderr.write('\r\x1b[K')
    },
  }
}
