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
  return nextRetransmissionAfter(seconds, 1);
}

/** The first of the retransmissions at rto × (1, 3, 7, 15, …) — RTO doubling — at or after `seconds`. */
export function nextRetransmissionAfter(seconds: number, rto: number): number {
  let retryAt = rto;
  let interval = rto;
  while (retryAt < seconds) {
    interval *= 2;
    retryAt += interval;
  }
  return retryAt;
}

/**
 * A request already under way when the fault hits is stuck on a connection through the old
 * director; the client retransmits it with exponential backoff from the connection's RTO, and the
 * first retransmission after the takeover reaches the new director (which resets it, and the
 * client reconnects at once). Linux keeps an established connection's RTO between its 200 ms
 * floor and about 1 s on a lab network (the initial RTO); which RTO a connection has depends on the
 * round trips it measured, so the bound is the latest first-retransmission-after-takeover over that
 * range: just missing the takeover by one doubling costs almost twice the takeover time.
 */
export const rtoRangeSeconds = { min: 0.2, max: 1 } as const;

export function worstRetransmissionAfter(seconds: number): number {
  let worst = 0;
  for (let ms = rtoRangeSeconds.min * 1000; ms <= rtoRangeSeconds.max * 1000; ms += 1) worst = Math.max(worst, nextRetransmissionAfter(seconds, ms / 1000));
  return worst;
}

/**
 * The longest client-visible outage the takeover allows: the latest first retransmission after the
 * takeover bound (of a connection attempt or of a request under way), plus 1 s — the stuck request
 * may have left up to a request's time before the fault, and the answer needs the new director's
 * ARP announcement and a round trip.
 */
export const outageMarginSeconds = 1;

export function outageBound(priority: number, advertInt: number): number {
  return outageBoundAfter(takeoverWindow(priority, advertInt).bound);
}

/** The same bound for a takeover by a given time (e.g. a fault whose takeover is not VRRP's master-down). */
export function outageBoundAfter(takeoverSeconds: number): number {
  const worst = Math.max(firstSynRetryAfter(takeoverSeconds), worstRetransmissionAfter(takeoverSeconds));
  return Math.round((worst + outageMarginSeconds) * 100) / 100;
}
