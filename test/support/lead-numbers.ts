/** Exchanges of valid NANP numbers: 200–999 except the N11 ones (211, 311, …). */
const EXCHANGES = Array.from({ length: 800 }, (_, i) => 200 + i).filter((nxx) => nxx % 100 !== 11)

/** The k-th valid number of area code 786 (7.9 M of them), for generated lead files. */
export const leadNumber = (k: number): string => `+1786${EXCHANGES[Math.floor(k / 10_000)]!}${String(k % 10_000).padStart(4, '0')}`
