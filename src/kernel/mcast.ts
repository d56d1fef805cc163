// IPv4 multicast groups a device is in, as ip_check_mc_rcu() reads them (the reports that
// announce them are in igmp.ts).
import type { Ipv4 } from '../wire/index.js';
import type { Link } from './link.js';

export const IPPROTO_IGMP = 2;
/** 224.0.0.1: every host; joined by every device that is up, never reported. */
export const IGMP_ALL_HOSTS = 0xe0000001;
/** 224.0.0.22: where IGMPv3 reports go. */
export const IGMPV3_ALL_MCR = 0xe0000016;
/** 224.0.0.106: all snoopers (RFC 4286), joined by a snooping bridge while it is up. */
export const IGMP_ALL_SNOOPERS = 0xe000006a;

/** Whether `dev` is in `group` (ip_check_mc_rcu's list): all-hosts while up, all-snoopers on an up bridge. */
export function mcJoined(dev: Link, group: Ipv4): boolean {
  if (!dev.adminUp) return false;
  if (group === IGMP_ALL_HOSTS) return true;
  return group === IGMP_ALL_SNOOPERS && dev.kind === 'bridge';
}
