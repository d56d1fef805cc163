// The iptables rule model (struct ipt_entry + its xt matches and target), shared by the text
// layer (iptables-restore / iptables-save / iptables -S / -L) and the packet evaluator.
// A Rule is immutable once in a table; counters live beside it, keyed by the rule object.
import type { Ipv4 } from '../../wire/index.js';

export type TableName = 'raw' | 'mangle' | 'nat' | 'filter';
export type BuiltinChain = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

/** Built-in chains of each table, in the order iptables-save prints them. */
export const TABLE_CHAINS: Readonly<Record<TableName, readonly BuiltinChain[]>> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
};

export interface Inverted {
  readonly invert: boolean;
}

/** `-s`/`-d`: an address and prefix length, as iptables-save prints `10.0.0.0/8`. */
export interface AddrMatch extends Inverted {
  readonly addr: Ipv4;
  readonly len: number;
}

/** `-i`/`-o`: a device name; a trailing `+` matches every name with that prefix. */
export interface IfaceMatch extends Inverted {
  readonly name: string;
}

/** A port or an inclusive range (`--dport 30000:32767`). */
export interface PortRange {
  readonly from: number;
  readonly to: number;
}

export type CtState = 'INVALID' | 'NEW' | 'ESTABLISHED' | 'RELATED' | 'UNTRACKED' | 'SNAT' | 'DNAT';
export type AddrType =
  | 'UNSPEC'
  | 'UNICAST'
  | 'LOCAL'
  | 'BROADCAST'
  | 'ANYCAST'
  | 'MULTICAST'
  | 'BLACKHOLE'
  | 'UNREACHABLE'
  | 'PROHIBIT'
  | 'THROW'
  | 'NAT'
  | 'XRESOLVE';

/** The `-m` modules knetlab understands, each with the options iptables-save prints for it. */
export type Match =
  | {
      readonly kind: 'tcp';
      readonly sport?: PortRange & Inverted;
      readonly dport?: PortRange & Inverted;
      readonly tcpFlags?: { readonly mask: number; readonly comp: number } & Inverted;
      readonly syn?: Inverted;
    }
  | { readonly kind: 'udp'; readonly sport?: PortRange & Inverted; readonly dport?: PortRange & Inverted }
  | { readonly kind: 'sctp'; readonly sport?: PortRange & Inverted; readonly dport?: PortRange & Inverted }
  | { readonly kind: 'icmp'; readonly icmpType?: { readonly type: number; readonly code?: number } & Inverted }
  | { readonly kind: 'comment'; readonly comment: string }
  | { readonly kind: 'mark'; readonly value: number; readonly mask: number; readonly invert: boolean }
  /** `-m connmark --mark value[/mask]`: the connection's mark (ct->mark). */
  | { readonly kind: 'connmark'; readonly value: number; readonly mask: number; readonly invert: boolean }
  | { readonly kind: 'statistic'; readonly mode: 'random'; readonly probability: number; readonly invert: boolean }
  | { readonly kind: 'statistic'; readonly mode: 'nth'; readonly every: number; readonly packet: number; readonly invert: boolean }
  | {
      readonly kind: 'conntrack';
      readonly ctstate?: { readonly states: readonly CtState[] } & Inverted;
      readonly ctorigdst?: AddrMatch;
      readonly ctorigdstport?: PortRange & Inverted;
    }
  | { readonly kind: 'state'; readonly states: readonly CtState[]; readonly invert: boolean }
  | {
      readonly kind: 'addrtype';
      readonly srcType?: { readonly type: AddrType } & Inverted;
      readonly dstType?: { readonly type: AddrType } & Inverted;
      readonly limitIfaceIn?: boolean;
      readonly limitIfaceOut?: boolean;
    }
  | { readonly kind: 'set'; readonly name: string; readonly flags: readonly ('src' | 'dst')[]; readonly invert: boolean }
  | {
      readonly kind: 'multiport';
      readonly which: 'sports' | 'dports' | 'ports';
      readonly ports: readonly PortRange[];
      readonly invert: boolean;
    }
  | {
      readonly kind: 'recent';
      readonly mode: 'set' | 'rcheck' | 'update' | 'remove';
      readonly name: string;
      readonly side: 'rsource' | 'rdest';
      readonly seconds?: number;
      readonly hitcount?: number;
      readonly reap?: boolean;
      readonly mask?: Ipv4;
      readonly invert: boolean;
    }
  | {
      readonly kind: 'physdev';
      readonly physdevIn?: IfaceMatch;
      readonly physdevOut?: IfaceMatch;
      readonly isIn?: Inverted;
      readonly isOut?: Inverted;
      readonly isBridged?: Inverted;
    };

/** A NAT range: `--to-destination 10.1.2.3-10.1.2.5:8080-8090`; absent parts keep the packet's. */
export interface NatRange {
  readonly minAddr?: Ipv4;
  readonly maxAddr?: Ipv4;
  readonly minPort?: number;
  readonly maxPort?: number;
}

export type Target =
  | { readonly kind: 'ACCEPT' }
  | { readonly kind: 'DROP' }
  | { readonly kind: 'RETURN' }
  /** `-j CHAIN` (goto false) or `-g CHAIN` (goto true). */
  | { readonly kind: 'jump'; readonly chain: string; readonly goto: boolean }
  | {
      readonly kind: 'REJECT';
      readonly rejectWith:
        | 'icmp-net-unreachable'
        | 'icmp-host-unreachable'
        | 'icmp-port-unreachable'
        | 'icmp-proto-unreachable'
        | 'icmp-net-prohibited'
        | 'icmp-host-prohibited'
        | 'icmp-admin-prohibited'
        | 'tcp-reset';
    }
  | { readonly kind: 'DNAT'; readonly to: NatRange; readonly random?: boolean; readonly persistent?: boolean }
  | {
      readonly kind: 'SNAT';
      readonly to: NatRange;
      readonly random?: boolean;
      readonly randomFully?: boolean;
      readonly persistent?: boolean;
    }
  | { readonly kind: 'MASQUERADE'; readonly toPorts?: PortRange; readonly random?: boolean; readonly randomFully?: boolean }
  | { readonly kind: 'MARK'; readonly op: 'set-xmark'; readonly value: number; readonly mask: number }
  /**
   * CONNMARK (xt_connmark target v1): `set` does ctmark = (ctmark & ~ctmask) ^ value; `save`
   * ctmark = (ctmark & ~ctmask) ^ (mark & nfmask); `restore` mark = (mark & ~nfmask) ^ (ctmark & ctmask).
   */
  | { readonly kind: 'CONNMARK'; readonly mode: 'set'; readonly value: number; readonly ctmask: number }
  | { readonly kind: 'CONNMARK'; readonly mode: 'save' | 'restore'; readonly nfmask: number; readonly ctmask: number }
  /** CT in the raw table: `--notrack` leaves the packet untracked; `--zone N` (printed, not emulated). NOTRACK is its old spelling. */
  | { readonly kind: 'CT'; readonly notrack: boolean; readonly zone?: number; readonly spelledNotrack?: boolean }
  /** REDIRECT: DNAT to the incoming device's primary address (127.0.0.1 for local traffic), optionally to other ports. */
  | { readonly kind: 'REDIRECT'; readonly toPorts?: PortRange; readonly random?: boolean }
  | { readonly kind: 'LOG'; readonly prefix?: string; readonly level?: number }
  /** No -j at all: the rule only counts. */
  | { readonly kind: 'none' };

export interface Rule {
  readonly src?: AddrMatch;
  readonly dst?: AddrMatch;
  readonly inIface?: IfaceMatch;
  readonly outIface?: IfaceMatch;
  /** `-p`: an IP protocol number (0 = all), with inversion. */
  readonly protocol?: { readonly proto: number } & Inverted;
  /** `-m` modules in the order written (iptables-save prints them in this order). */
  readonly matches: readonly Match[];
  readonly target: Target;
}

/** Packet and byte counters. Kept per namespace beside the (shareable, immutable) rules. */
export interface Counters {
  packets: number;
  bytes: number;
}

/**
 * A chain is immutable: every change makes a new Chain (and a new Table), so identical rule
 * sets can be shared between namespaces and an evaluator can cache an index per Chain object.
 * Every Rule object appears at most once in a table, so counters can be keyed by it.
 */
export interface Chain {
  readonly name: string;
  /** Built-in chains have a policy (ACCEPT or DROP); user chains have none. */
  readonly policy: 'ACCEPT' | 'DROP' | undefined;
  readonly rules: readonly Rule[];
}

/** One table: built-in chains first, then user chains, in the order iptables-save prints them. */
export interface Table {
  readonly name: TableName;
  readonly chains: ReadonlyMap<string, Chain>;
}
