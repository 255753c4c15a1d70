import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { optOutKeyword } from './opt-out-words.js'

describe('SMS opt-out keywords', () => {
  it('finds every keyword in any case, alone or with surrounding text', () => {
    for (const [text, word] of [
      ['STOP', 'STOP'],
      ['stop', 'STOP'],
      ['Please STOP texting me', 'STOP'],
      ['quit', 'QUIT'],
      ['END.', 'END'],
      ['revoke my consent', 'REVOKE'],
      ['Opt Out', 'OPT OUT'],
      ['opt-out please', 'OPT OUT'],
      ['OPTOUT', 'OPT OUT'],
      ['cancel', 'CANCEL'],
      ['UnSubscribe!!', 'UNSUBSCRIBE'],
      ['STOPALL', 'STOPALL'],
      ['ＳＴＯＰ', 'STOP'],
    ] as const) {
      expect(optOutKeyword(text), text).toBe(word)
    }
  })

  it('does not see keywords inside other words', () => {
    for (const text of ['weekend deals', 'unstoppable', 'endless', 'cancellation policy?', 'YES', 'what time do you open', '']) {
      expect(optOutKeyword(text), text).toBeNull()
    }
  })

  it('finds a keyword wherever it is placed between other words', () => {
    const word = fc.constantFrom('stop', 'QUIT', 'End', 'revoke', 'opt out', 'CANCEL', 'unsubscribe')
    const filler = fc.array(fc.constantFrom('hello', 'please', 'thanks', 'no', 'more', '123', '!'), { maxLength: 5 })
    fc.assert(
      fc.property(filler, word, filler, (before, w, after) => {
        expect(optOutKeyword([...before, w, ...after].join(' '))).not.toBeNull()
      }),
    )
  })
})
