/** A cap's look-back period as people write it: whole days past one day (`30 days`), else hours (`24 h`). */
export function periodText(hours: number): string {
  return hours > 24 && hours % 24 === 0 ? `${hours / 24} days` : `${hours} h`
}
