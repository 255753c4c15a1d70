import type { LoggerOptions } from 'pino'

/** Request and body fields that may carry a phone number, an IP, a user agent, evidence or a key: never logged. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-forwarded-for"]',
  'req.headers["user-agent"]',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-dialward-signature"]',
  'req.remoteAddress',
  'req.remotePort',
  'req.hostname',
  'req.url',
  'res.headers["set-cookie"]',
]

/**
 * pino options of the server: JSON lines on stdout with request ids, levels and timings; the
 * request log carries method, route pattern and status only (never the URL with its query, the
 * client address, headers that identify people, or any body), and the paths above are redacted.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; routeOptions?: { url?: string }; id?: string }) => ({ method: req.method, route: req.routeOptions?.url, id: req.id }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  }
}
