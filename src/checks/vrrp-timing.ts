/**
 * What VRRP promises (RFC 3768 §6.1; keepalived scales the skew by advert_int as RFC 5798 does):
 *   Skew_Time = (256 − priority) × advert_int / 256
 *   Master_Down_Interval = 3 × advert_int + Skew_Time
 * A backup takes over Master_Down_Interval after the last advertisement it heard, which came at
 * most one advert_int before the fault: the takeover lands in [down − advert_int, down].
 */
export function skewTime(priority: number, advertInt: number): number {
  return ((256 - priority) * advertInt) / 256;
}

export function masterDownInterval(priority: number, advertInt: number): number {
  return 3 * advertInt + skewTime(priority, advertInt);
}

/** Allowance for what comes after VRRP's decision: adding the VIP, gratuitous ARP, our monitors. */
export const detectionMarginSeconds = 0.5;

export function takeoverWindow(priority: number, advertInt: number): { earliest: number; latest: number; bound: number } {
  const down = masterDownInterval(priority, advertInt);
  return { earliest: down - advertInt, latest: down, bound: down + detectionMarginSeconds };
}

/**
 * Linux retransmits an unanswered SYN after 1, 3, 7, 15, 31 s (initial RTO 1 s, doubling). A client
 * that lost its connection attempt to the fault gets through at the first retry after the takeover.
 */
export function firstSynRetryAfter(seconds: number): number {
  let retryAt = 1;
  let interval = 1;
  while (retryAt < seconds) {
    interval *= 2;
    retryAt += interval;
  }
  return retryAt;
}

/**
 * The longest client-visible outage the takeover allows: the next SYN retry after it, plus 1 s —
 * the lost SYN may have left up to a request's time before the fault, and the answer needs the
 * new director's ARP announcement and a round trip.
 */
export const outageMarginSeconds = 1;

export function outageBound(priority: number, advertInt: number): number {
  return firstSynRetryAfter(takeoverWindow(priority, advertInt).bound) + outageMarginSeconds;
}
