// Neighbour requests as the kernel answers them (neigh_add / neigh_delete).
import type { Ipv4, Mac } from '../../wire/index.js';
import { KernelError } from '../errors.js';
import type { Link } from '../link.js';
import type { Neighbour, NudState } from '../neigh.js';
import type { Netns } from '../netns.js';

/** An RTM_NEWNEIGH message; `lladdr` absent: none sent. */
export interface NeighMsg {
  readonly dev: Link;
  readonly dst: Ipv4;
  readonly lladdr?: Mac;
  readonly state: NudState;
}

/** neigh_add(): `add` is create+excl, `replace` create+replace, `change` replace alone. */
export function newNeigh(ns: Netns, m: NeighMsg, flags: { readonly create?: boolean; readonly excl?: boolean }): Neighbour | undefined {
  const existing = ns.neigh.get(m.dev, m.dst);
  if (existing && flags.excl) throw new KernelError('EEXIST');
  if (!existing && !flags.create) throw new KernelError('ENOENT');
  const needsLladdr = m.state === 'PERMANENT' || m.state === 'NOARP' || m.state === 'REACHABLE' || m.state === 'STALE';
  if (m.lladdr === undefined && needsLladdr && !existing?.lladdr && !m.dev.noarp && m.dev.kind !== 'loopback') {
    throw new KernelError('EINVAL', 'No link layer address given');
  }
  return ns.neigh.update(m.dev, m.dst, m.lladdr, m.state, { admin: true, create: true });
}

/** neigh_delete(). */
export function delNeigh(ns: Netns, dev: Link, dst: Ipv4): void {
  if (!ns.neigh.get(dev, dst)) throw new KernelError('ENOENT');
  ns.neigh.delete(dev, dst);
}
