export class PagedBitset {
  private readonly pages = new Map<number, Uint8Array>()
  add(n: number): boolean { const p = Math.floor(n / 10000); const o = n - p * 10000; let pg = this.pages.get(p); if (!pg) this.pages.set(p, pg = new Uint8Array(1250)); const b = pg[o >> 3]!; pg[o >> 3] = b | (1 << (o & 7)); return true }
  has(n: number): boolean { const p = Math.floor(n / 10000); const o = n - p * 10000; const pg = this.pages.get(p); return pg !== undefined && (pg[o >> 3]! & (1 << (o & 7))) !== 0 }
}
