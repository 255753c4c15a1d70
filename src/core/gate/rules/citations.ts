/** Rule names with their sources, as they appear in a reason's `rule` field. */
export const CITATIONS = {
  writtenConsent:
    'US prior express written consent for autodialed or prerecorded telemarketing, 47 CFR 64.1200(a)(2),(3)',
  expressConsent:
    'US prior express consent for autodialed or prerecorded calls, 47 U.S.C. 227(b)(1)(A)(iii); 47 CFR 64.1200(a)(1)(iii)',
  reassigned: 'Reassigned Numbers Database result voids earlier consent, 47 CFR 64.1200(m)',
  internalDnc: 'Company-specific do-not-call list (honored at least 5 years), 47 CFR 64.1200(d)(3),(6)',
  registry: {
    US: 'US National Do Not Call Registry, 47 CFR 64.1200(c)(2); 16 CFR 310.4(b)(1)(iii)(B)',
    CA: 'Canada National DNCL, CRTC Unsolicited Telecommunications Rules Part II',
    GB: 'UK Telephone Preference Service, PECR reg. 21',
  } as Record<string, string>,
  freshness: {
    US: 'US registry no more than 31 days old at call time, 47 CFR 64.1200(c)(2)(i)(D); 16 CFR 310.4(b)(3)(iv)',
    CA: 'Canada DNCL no more than 31 days old at call time, CRTC Unsolicited Telecommunications Rules Part II',
    GB: 'UK TPS screened at least every 28 days, PECR reg. 21 (TPS registration effective after 28 days)',
  } as Record<string, string>,
  stateList: (state: string): string => `US-${state} state do-not-call list (scrubbed in addition to the federal registry)`,
  dataStale: (days: number): string =>
    `Contact data kept accurate and up to date: re-verified within ${days} days by the purpose's staleness policy, GDPR Art. 5(1)(d); Cal. Civ. Code 1798.106`,
  ebr: 'EBR exemption: 18 months after purchase, 3 months (US) / 6 months (CA) after inquiry, ended by a do-not-call request, 47 CFR 64.1200(f)(5)',
} as const
