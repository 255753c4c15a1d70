import { randomUUID } from 'node:crypto'

/** The roles an API key (or the command line) acts with. */
export const ROLES = ['admin', 'compliance', 'dialer', 'auditor'] as const
export type Role = (typeof ROLES)[number]

/**
 * Who is asking, with which role, in which request: every service call takes one, and every
 * audit entry and refusal names its actor and request.
 */
export interface RequestContext {
  /** The actor as the audit log names it: `cli:<user>` on the command line, `key:<id>:<name>` over HTTP. */
  readonly actor: string
  readonly role: Role
  readonly requestId: string
}

/** A context for one request. */
export function requestContext(actor: string, role: Role, requestId: string = randomUUID()): RequestContext {
  return Object.freeze({ actor, role, requestId })
}
