// TUN devices (drivers/net/tun.c with IFF_TUN | IFF_NO_PI) and the UDP socket a userspace program
// moves their packets with. A TUN device has no link layer (link/none, POINTOPOINT, NOARP): what
// the stack transmits on it is read by the process holding /dev/net/tun, and what that process
// writes enters the stack as received on the device. Carrier is on while a process holds it.
// flanneld's udp backend is such a process (flannel pkg/backend/udp).
import { emitIpv4, IPPROTO_UDP, parseIpv4Packet, type Ipv4, type Ipv4Packet } from '../wire/index.js';
import { KernelError } from './errors.js';
import { ipSend } from './ipv4.js';
import { Link } from './link.js';
import type { Netns } from './netns.js';
import { netifReceive } from './rx.js';
import type { Skb } from './skb.js';
import { trace } from './trace.js';
import type { Walk } from './walk.js';

/**
 * The walk of a traced packet while it is bytes in a process (read from a TUN device, sent on a
 * UDP socket, received, written back): a process cannot carry it, so the kernel remembers it by
 * the buffer, as `knetlab trace` follows a packet through flanneld.
 */
const walks = new WeakMap<Uint8Array, Walk>();

export class Tun extends Link {
  readonly kind = 'tun';
  override noarp = true;
  override txQueueLen = 500;
  /** The process's read side; undefined while no process holds the device (no carrier). */
  reader: ((packet: Uint8Array) => void) | undefined;
  /** TUNSETPERSIST (`ip tuntap add`): the device stays when its last file closes. */
  persist = false;
  private addrconfDone = false;

  /**
   * IPv6 addrconf switches an ARPHRD_NONE device to `addrgenmode random` when it first configures
   * it, once up with carrier; until then it shows eui64 (recorded: scenario tun-flannel0).
   */
  get addrGenRandom(): boolean {
    if (this.adminUp && this.carrier) this.addrconfDone = true;
    return this.addrconfDone;
  }

  get carrier(): boolean {
    return this.reader !== undefined;
  }

  /** Recorded: DOWN while up without a process (NO-CARRIER), UNKNOWN once one holds it. */
  override get operstate(): 'UP' | 'DOWN' | 'UNKNOWN' | 'LOWERLAYERDOWN' {
    return this.adminUp && this.carrier ? 'UNKNOWN' : 'DOWN';
  }

  override get hasEthernetHeader(): boolean {
    return false;
  }

  /** A TUN device has a transmit queue, so opening it attaches the default qdisc (pfifo_fast on this machine). */
  override get qdisc(): 'noop' | 'noqueue' | 'pfifo_fast' {
    return this.upCount > 0 ? 'pfifo_fast' : 'noop';
  }

  /** tun_net_xmit(): queued for the reader. */
  transmit(skb: Skb): void {
    const reader = this.reader;
    if (!reader) {
      this.stats.txDropped++;
      return;
    }
    const bytes = emitIpv4(skb.data as Ipv4Packet);
    if (skb.walk) {
      walks.set(bytes, skb.walk);
      trace(skb, this.netns, this, 'encap', () => 'read by the process holding /dev/net/tun');
    }
    reader(bytes);
  }

  /** write(2) on the device's file: tun_get_user() hands the packet to the stack as received here. */
  write(bytes: Uint8Array): void {
    let p: Ipv4Packet;
    try {
      p = parseIpv4Packet(bytes);
    } catch {
      throw new KernelError('EINVAL');
    }
    const walk = walks.get(bytes);
    const skb: Skb<Ipv4Packet> = { data: p, walk, mark: 0 };
    trace(skb, this.netns, this, 'decap', () => 'written by the process holding /dev/net/tun');
    netifReceive(this, skb);
  }
}

/** open("/dev/net/tun") + TUNSETIFF: an existing TUN device by name, else a new one (NAME may hold %d: the first free number). */
export function tunOpen(ns: Netns, pattern: string, reader: (packet: Uint8Array) => void): Tun {
  let name = pattern;
  if (pattern.includes('%d')) {
    for (let i = 0; ; i++) {
      name = pattern.replace('%d', String(i));
      if (!ns.linkByName(name)) break;
    }
  }
  const existing = ns.linkByName(name);
  if (existing && !(existing instanceof Tun)) throw new KernelError('EINVAL');
  if (existing && (existing as Tun).reader) throw new KernelError('EBUSY');
  let tun = existing as Tun | undefined;
  if (!tun) {
    ns.checkName(name);
    tun = new Tun(ns, 0, name, '00:00:00:00:00:00', 1500);
    tun.ifindex = ns.allocIfindex();
    ns.register(tun);
  }
  tun.reader = reader;
  return tun;
}

/** close() of the last file: a non-persistent TUN device goes with it. */
export function tunClose(tun: Tun): void {
  tun.reader = undefined;
  if (!tun.persist && tun.netns.linkByName(tun.name) === tun) tun.netns.unregister(tun);
}

/** `ip tuntap add dev NAME mode tun`: TUNSETIFF then TUNSETPERSIST, and the file closed. */
export function tunAddPersistent(ns: Netns, name: string): Tun {
  const existing = ns.linkByName(name);
  // tun_set_iff(): an existing TUN device is busy while attached or persistent; another kind is EINVAL
  if (existing) throw new KernelError(existing instanceof Tun ? 'EBUSY' : 'EINVAL');
  const tun = tunOpen(ns, name, () => {});
  tun.persist = true;
  tun.reader = undefined;
  return tun;
}

/** A bound UDP socket (socket(AF_INET, SOCK_DGRAM) + bind()): datagrams to its port, sendto() from it. */
export interface UdpSocket {
  sendTo(dst: Ipv4, port: number, data: Uint8Array): void;
  close(): void;
}

export function udpBind(ns: Netns, addr: Ipv4, port: number, onDatagram: (from: Ipv4, port: number, data: Uint8Array) => void): UdpSocket {
  if (ns.udpHandlers.has(port)) throw new KernelError('EADDRINUSE');
  const handler = (skb: Skb<Ipv4Packet>, udp: Parameters<NonNullable<ReturnType<typeof ns.udpHandlers.get>>>[1]) => {
    if (addr !== 0 && skb.data.dst !== addr) return;
    if (udp.payload.kind !== 'raw') return;
    const data = udp.payload.bytes;
    if (skb.walk) walks.set(data, skb.walk);
    onDatagram(skb.data.src, udp.srcPort, data);
  };
  ns.udpHandlers.set(port, handler);
  return {
    sendTo(dst, dport, data) {
      ipSend(
        ns,
        {
          dst,
          ...(addr !== 0 ? { src: addr } : {}),
          protocol: IPPROTO_UDP,
          df: false,
          payload: { kind: 'udp', srcPort: port, dstPort: dport, payload: { kind: 'raw', bytes: data } },
        },
        walks.get(data),
      );
    },
    close() {
      if (ns.udpHandlers.get(port) === handler) ns.udpHandlers.delete(port);
    },
  };
}
