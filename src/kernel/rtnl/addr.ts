// Address requests as the kernel answers them (inet_rtm_newaddr / inet_rtm_deladdr).
import { ifAddr, type IfAddr } from '../addr.js';
import { KernelError } from '../errors.js';
import type { Link } from '../link.js';
import type { Netns } from '../netns.js';
import type { Ipv4 } from '../../wire/index.js';

/** An RTM_NEWADDR message. Without a scope, iproute2's default_scope() (host for 127/8, else global), which every caller sends. */
export interface AddrMsg {
  readonly dev: Link;
  readonly local?: Ipv4;
  readonly prefixLen: number;
  readonly broadcast?: Ipv4;
  readonly scope?: number;
  readonly label?: string;
  readonly noprefixroute?: boolean;
  readonly metric?: number;
}

/** inet_rtm_newaddr(): without `replace` (NLM_F_EXCL) an existing address fails; with it, only its metric changes. */
export function newAddr(ns: Netns, m: AddrMsg, replace: boolean): IfAddr {
  if (m.local === undefined) throw new KernelError('EINVAL', 'ipv4: Local address is not supplied');
  const local = m.local;
  const scope = m.scope ?? (local >>> 24 === 127 ? 254 : 0);
  const existing = ns.addrsOf(m.dev).find((x) => x.local === local && x.prefixLen === m.prefixLen);
  if (existing && !replace) throw new KernelError('EEXIST', 'ipv4: Address already assigned');
  const spec: Omit<IfAddr, 'secondary'> = existing
    ? ifAddr(existing, existing.secondary, existing.label, m.metric ?? 0)
    : {
        dev: m.dev,
        local,
        prefixLen: m.prefixLen,
        broadcast: m.broadcast,
        scope,
        label: m.label ?? m.dev.name,
        noprefixroute: m.noprefixroute ?? false,
        metric: m.metric ?? 0,
      };
  try {
    return ns.addrAdd(spec, replace);
  } catch (e) {
    if (e instanceof KernelError && e.errno === 'EEXIST' && e.extack === undefined)
      throw new KernelError('EEXIST', 'ipv4: Address already assigned');
    throw e;
  }
}

/** inet_rtm_deladdr(): the first address of the device matching what was sent. */
export function delAddr(
  ns: Netns,
  dev: Link,
  match: { readonly local?: Ipv4; readonly prefixLen?: number; readonly label?: string },
): IfAddr {
  const target = ns
    .addrsOf(dev)
    .find(
      (a) =>
        (match.local === undefined || a.local === match.local) &&
        (match.label === undefined || a.label === match.label) &&
        (match.prefixLen === undefined || a.prefixLen === match.prefixLen),
    );
  if (!target) throw new KernelError('EADDRNOTAVAIL', 'ipv4: Address not found');
  try {
    return ns.addrDel(dev, target.local, target.prefixLen);
  } catch (e) {
    if (e instanceof KernelError && e.errno === 'EADDRNOTAVAIL' && e.extack === undefined)
      throw new KernelError('EADDRNOTAVAIL', 'ipv4: Address not found');
    throw e;
  }
}
