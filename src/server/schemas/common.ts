import { Type, type TSchema } from 'typebox'
import { ERROR_CATALOGUE, type ErrorCode } from '../../core/errors.js'
import { REASON_CODES } from '../../core/gate/reason.js'

/** A telephone number as the caller writes it (normalized by the server). */
export const PhoneText = Type.String({ minLength: 1, maxLength: 100, description: 'A telephone number in any common spelling (E.164, national, with punctuation)', examples: ['+13052000001'] })

/** An instant: ISO-8601 with Z or an offset, or a date (00:00 UTC). */
export const InstantText = Type.String({ minLength: 10, maxLength: 40, description: 'ISO-8601 instant (2026-12-01T20:00:00Z) or date (2026-12-01, 00:00 UTC)', examples: ['2026-12-01T18:00:00Z'] })

/** A seller's name as registered. */
export const SellerName = Type.String({ minLength: 1, maxLength: 200 })

/** Free text kept as evidence. */
export const Text = (max: number): TSchema => Type.String({ maxLength: max })

/** The error document of every non-2xx answer. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.Enum(Object.keys(ERROR_CATALOGUE) as ErrorCode[], { description: 'A stable code from the error catalogue (docs/reference/errors.md)' }),
      message: Type.String(),
    }),
  },
  { description: 'An error: a stable code and a message naming the field' },
)

/** One reason a call is blocked. */
export const Reason = Type.Object({
  code: Type.Enum([...REASON_CODES]),
  message: Type.String(),
  rule: Type.String({ description: 'The rule and its legal source' }),
})

/** The pre-dial decision document (exactly `check --json`). */
export const CheckDocument = Type.Object(
  {
    phone: Type.Union([Type.String(), Type.Null()], { description: 'Canonical E.164, or null when the input is not a valid number' }),
    verdict: Type.Union([Type.Literal('allow'), Type.Literal('block')]),
    reasons: Type.Array(Reason),
    nextAllowedAt: Type.Union([Type.String(), Type.Null()]),
    decisionId: Type.String(),
  },
  { description: 'The pre-dial decision: exactly the document of check --json' },
)

/** The error responses every keyed route may give. */
export const KEYED_ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 429: ErrorResponse, 503: ErrorResponse } as const
