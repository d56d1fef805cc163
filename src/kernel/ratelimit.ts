// ICMP error rate limits per destination host (inet_peer's token bucket): icmp_send() lets an
// error through inet_peer_xrlim_allow() with icmp_ratelimit (1 s) a token and a burst of six,
// and ip_error() spends from the same bucket (ip_rt_error_cost 1 s, burst 5 s) before that.
// Errors a host sends itself (over loopback) are never limited.
import type { Ipv4 } from '../wire/index.js';
import type { Netns } from './netns.js';

/** net.ipv4.icmp_ratelimit, in milliseconds. */
export const ICMP_RATELIMIT_MS = 1000;
/** XRLIM_BURST_FACTOR. */
const XRLIM_BURST = 6;
/** ip_rt_error_cost and ip_rt_error_burst. */
const RT_ERROR_COST_MS = 1000;
const RT_ERROR_BURST_MS = 5000;
/** A new peer starts as if last seen a minute ago (inet_getpeer), so its bucket is full. */
const NEW_PEER_AGE_MS = 60_000;

/** icmp_ratemask's default: destination unreachable, source quench, time exceeded, parameter problem. */
export function icmpRateLimited(type: number): boolean {
  return type === 3 || type === 4 || type === 11 || type === 12;
}

/** One destination's token bucket (struct inet_peer's rate_tokens, rate_last). */
export interface InetPeer {
  tokens: number;
  last: number;
}

function peerOf(ns: Netns, addr: Ipv4): InetPeer {
  const m = (ns.icmpPeers ??= new Map());
  let p = m.get(addr);
  if (!p) {
    p = { tokens: 0, last: ns.kernel.clock.now() - NEW_PEER_AGE_MS };
    m.set(addr, p);
  }
  return p;
}

function spend(ns: Netns, addr: Ipv4, cost: number, burst: number): boolean {
  const p = peerOf(ns, addr);
  const now = ns.kernel.clock.now();
  p.tokens = Math.min(p.tokens + (now - p.last), burst);
  p.last = now;
  if (p.tokens < cost) return false;
  p.tokens -= cost;
  return true;
}

/** inet_peer_xrlim_allow() for an ICMP error to `addr`. */
export function icmpXrlimAllow(ns: Netns, addr: Ipv4): boolean {
  return spend(ns, addr, ICMP_RATELIMIT_MS, XRLIM_BURST * ICMP_RATELIMIT_MS);
}

/** ip_error()'s own check before it calls icmp_send() for an undeliverable packet from `addr`. */
export function ipErrorAllow(ns: Netns, addr: Ipv4): boolean {
  return spend(ns, addr, RT_ERROR_COST_MS, RT_ERROR_BURST_MS);
}
