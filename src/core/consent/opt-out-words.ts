/**
 * The opt-out keywords of SMS replies (CTIA and the FCC's "revocation by any reasonable means"):
 * STOP, QUIT, END, REVOKE, OPT OUT, CANCEL, UNSUBSCRIBE — any case, alone or within other text,
 * as whole words (`STOPALL`, `opt-out` and `optout` included). Over-matching only ever blocks
 * calls, never allows them.
 */
const OPT_OUT = /(?:^|[^\p{L}\p{N}])(stop|stopall|quit|end|revoke|opt[\s_-]*out|cancel|unsubscribe)(?=$|[^\p{L}\p{N}])/iu

/** The opt-out keyword a message contains (upper case, spaces normalised), or `null`. */
export function optOutKeyword(message: string): string | null {
  const m = OPT_OUT.exec(message.normalize('NFKC'))
  return m ? m[1]!.toUpperCase().replace(/[\s_-]+/g, ' ').replace(/^OPTOUT$/, 'OPT OUT') : null
}
