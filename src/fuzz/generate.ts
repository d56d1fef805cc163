// The fuzzer's generator: random but valid scenario scripts (one command per line, as in
// test/scenarios) of what Kubernetes components do on nodes, drawn from a seeded Rng.
//
// A script is built from small "moves" (make a namespace, wire a veth pair, add an address, a
// route, an iptables rule, send a ping, look at the routes …). Every move reads and updates one
// shared model of what exists (namespaces, links, addresses, sets, chains), so that later moves
// name things that are there. The model tracks where the REAL kernel puts things (a veth peer
// without its own `netns` stays in the caller's namespace), since the real kernel is the oracle.
//
// Only what the emulator claims to support (README: commands today) is generated. Left out on
// purpose, because their output depends on timing rather than on the kernel's logic: neighbour
// dumps after traffic (REACHABLE/STALE/DELAY follow the load), ICMP errors that Linux rate-limits,
// `nud reachable` entries, and captures (`tcpdump -c N` waits for N packets and would hang
// a real run when fewer come). Multipath routes go only to 198.18.0.0/15, which no ping or
// `ip route get` aims at: the path a flow takes follows a hash keyed at random on each boot.
import { Rng } from '../sim/index.js';

interface LinkModel {
  readonly name: string;
  ns: string; // '' is the lab host's own namespace
  readonly kind: 'veth' | 'bridge' | 'vxlan';
  up: boolean;
  master?: string;
  readonly addrs: { ip: string; plen: number }[];
  /** The segment (10.SEG.x.x) of a veth pair, so both ends draw from one subnet. */
  readonly seg?: number;
}

interface Model {
  readonly rng: Rng;
  readonly namespaces: string[];
  readonly links: LinkModel[];
  readonly sets: string[];
  readonly chains: string[];
  segs: number;
  traffic: boolean;
  readonly lines: string[];
  /**
   * Multipath routes draw from their own Rng and their lines are not counted in the script's
   * length, so that adding them left every seed's other lines as they were.
   */
  readonly mp: Rng;
  /** Bridge port settings (bridgePortMove) draw from their own Rng too. */
  readonly br: Rng;
  extra: number;
}

const PLENS = [8, 16, 20, 24, 24, 24, 24, 26, 28, 30, 31, 32];
const PROTOS = ['static', 'boot', 'bird', 'kernel', '18', '101'];
const TABLES = ['100', '200', 'main'];
const MARKS = ['0x4000', '0x10', '0x1', '0x8000'];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(0, xs.length)]!;
}

function chance(rng: Rng, p: number): boolean {
  return rng.float() < p;
}

/** `CMD` run in namespace `ns`: as is in the lab host's own, else `ip netns exec NS CMD` or, for ip and bridge, `ip -n NS …`. */
function inNs(m: Model, ns: string, cmd: string, rng = m.rng): string {
  if (ns === '') return cmd;
  if (/^(ip|bridge) /.test(cmd) && chance(rng, 0.4)) return cmd.replace(/^(ip|bridge) /, `$1 -n ${ns} `);
  return `ip netns exec ${ns} ${cmd}`;
}

function emit(m: Model, ns: string, cmd: string): void {
  m.lines.push(inNs(m, ns, cmd));
}

function ipOf(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function ipNum(ip: string): number {
  return ip.split('.').reduce((a, b) => a * 256 + Number(b), 0);
}

function network(ip: string, plen: number): string {
  const mask = plen === 0 ? 0 : (0xffffffff << (32 - plen)) >>> 0;
  return ipOf((ipNum(ip) & mask) >>> 0);
}

function allAddrs(m: Model, ns?: string): { ip: string; plen: number; link: LinkModel }[] {
  return m.links.filter((l) => ns === undefined || l.ns === ns).flatMap((l) => l.addrs.map((a) => ({ ...a, link: l })));
}

function nsOfLinks(m: Model): string[] {
  return [...new Set(m.links.map((l) => l.ns))];
}

// ---- moves --------------------------------------------------------------------------------

function netnsAdd(m: Model): void {
  const name = pick(m.rng, ['pod', 'node', 'ns', 'host']) + String(m.namespaces.length);
  m.namespaces.push(name);
  m.lines.push(`ip netns add ${name}`);
  if (chance(m.rng, 0.5)) emit(m, name, 'ip link set lo up');
}

function freeName(m: Model, ns: string, base: string): string {
  for (let i = 0; ; i++) if (!m.links.some((l) => l.ns === ns && l.name === `${base}${i}`)) return `${base}${i}`;
}

/** `ip link add A [netns X] type veth peer name B [netns Y]`, as CNI plugins wire a pod. */
function vethAdd(m: Model): void {
  const rng = m.rng;
  const named = m.namespaces.filter((n) => n !== '');
  const aNs = named.length > 0 && chance(rng, 0.35) ? pick(rng, named) : '';
  const bNs = named.length > 0 && chance(rng, 0.7) ? pick(rng, named) : '';
  const a = freeName(m, aNs, 'veth');
  let b = bNs === '' ? freeName(m, '', 'veth') : freeName(m, bNs, 'eth');
  if (a === b && aNs === bNs) b = freeName(m, bNs, 'vpeer');
  if (aNs === '' && a === b) b = `${a}p`;
  const bWhere = bNs !== '' ? ` netns ${bNs}` : chance(rng, 0.15) ? ' netns 1' : '';
  const aWhere = aNs !== '' ? ` netns ${aNs}` : '';
  m.lines.push(`ip link add ${a}${aWhere} type veth peer name ${b}${bWhere}`);
  const seg = ++m.segs;
  m.links.push(
    { name: a, ns: aNs, kind: 'veth', up: false, addrs: [], seg },
    { name: b, ns: bNs, kind: 'veth', up: false, addrs: [], seg },
  );
}

/** A pod wired as CNI plugins do: a veth pair, both ends up, one subnet on both (sometimes a default route). */
function podWire(m: Model): void {
  if (m.namespaces.length === 0 || chance(m.rng, 0.3)) netnsAdd(m);
  vethAdd(m);
  const [a, b] = m.links.slice(-2) as [LinkModel, LinkModel];
  for (const l of m.rng.int(0, 2) === 0 ? [a, b] : [b, a]) {
    emit(m, l.ns, `ip link set ${l.name} up`);
    l.up = true;
    addrOn(m, l);
  }
  if (b.ns !== '' && a.addrs.length > 0 && chance(m.rng, 0.5))
    emit(m, b.ns, `ip route add default via ${a.addrs[0]!.ip}${chance(m.rng, 0.5) ? ` dev ${b.name} onlink` : ''}`);
}

function bridgeAdd(m: Model): void {
  const ns = pick(m.rng, ['', ...m.namespaces]);
  const name = freeName(m, ns, m.rng.int(0, 2) === 0 ? 'cni' : 'br');
  const opts = pick(m.rng, ['', ' mtu 1450', ' mtu 9000']);
  emit(m, ns, `ip link add ${name}${opts} type bridge`);
  m.links.push({ name, ns, kind: 'bridge', up: false, addrs: [], seg: ++m.segs });
}

function enslave(m: Model): void {
  const ports = m.links.filter(
    (l) => l.kind === 'veth' && l.master === undefined && m.links.some((b) => b.kind === 'bridge' && b.ns === l.ns),
  );
  if (ports.length === 0) return;
  const port = pick(m.rng, ports);
  const br = pick(
    m.rng,
    m.links.filter((b) => b.kind === 'bridge' && b.ns === port.ns),
  );
  emit(m, port.ns, `ip link set ${port.name} master ${br.name}`);
  port.master = br.name;
  if (chance(m.br, 0.5)) bridgePortMove(m, port);
}

/**
 * After a port joins a bridge, now and then what CNI's bridge plugin and kube-proxy's setup do to
 * it: hairpin mode, learning or flooding off, bridge-nf-call-iptables off or on, and a look at the
 * port (`bridge -d link`, `ip -d link`). From its own Rng, its lines not counted in the length, so
 * every seed's other lines stay as they were.
 */
function bridgePortMove(m: Model, port: LinkModel): void {
  const rng = m.br;
  const line = (cmd: string): void => {
    m.lines.push(inNs(m, port.ns, cmd, rng));
    m.extra++;
  };
  const r = rng.int(0, 5);
  if (r <= 1) line(`bridge link set dev ${port.name} hairpin ${pick(rng, ['on', 'off'])}`);
  else if (r === 2) line(`bridge link set dev ${port.name} ${pick(rng, ['learning', 'flood'])} ${pick(rng, ['on', 'off'])}`);
  else if (r === 3) line(`sysctl -w net.bridge.bridge-nf-call-iptables=${rng.int(0, 2)}`);
  else line(`brctl hairpin ${port.master} ${port.name} ${pick(rng, ['on', 'off'])}`);
  if (chance(rng, 0.4))
    line(
      pick(rng, [
        `bridge -d link show dev ${port.name}`,
        'bridge link',
        `ip -d link show ${port.name}`,
        'sysctl net.bridge.bridge-nf-call-iptables',
      ]),
    );
}

function linkUp(m: Model): void {
  const down = m.links.filter((l) => !l.up);
  if (down.length === 0) return;
  const l = pick(m.rng, down);
  emit(m, l.ns, `ip link set ${l.name} up`);
  l.up = true;
}

function linkSet(m: Model): void {
  if (m.links.length === 0) return;
  const l = pick(m.rng, m.links);
  const what = pick(m.rng, ['mtu 1400', 'mtu 1450', 'address 0a:58:0a:f4:01:01', 'down', 'txqueuelen 500', `alias ${l.name}-alias`]);
  emit(m, l.ns, `ip link set dev ${l.name} ${what}`);
  if (what === 'down') l.up = false;
}

/** An address of a random prefix length (incl. /31 and /32) from the link's segment. */
function addrAdd(m: Model): void {
  const cands = m.links.filter((l) => l.master === undefined && l.kind !== 'vxlan');
  if (cands.length === 0) return;
  addrOn(m, pick(m.rng, cands));
}

function addrOn(m: Model, l: LinkModel): void {
  const plen = pick(m.rng, PLENS);
  const seg = l.seg ?? 200;
  const base = ipNum(`10.${seg % 250}.${m.rng.int(0, 4)}.0`);
  // Both ends of a pair share the subnet (hosts 1 and 2, or 0 and 1 on a /31).
  const peerHas = m.links.find((o) => o !== l && o.seg === l.seg && o.addrs.length > 0)?.addrs[0];
  let ip: string;
  let p = plen;
  if (peerHas !== undefined && chance(m.rng, 0.8)) {
    p = peerHas.plen;
    const n = ipNum(peerHas.ip);
    ip = ipOf(p === 31 ? n ^ 1 : p === 32 ? n + 1 : n + 1);
  } else {
    ip = ipOf(base + (plen === 31 ? 0 : plen === 32 ? m.rng.int(1, 250) : m.rng.int(1, 3)));
  }
  const extra = chance(m.rng, 0.2) ? pick(m.rng, [' scope link', ' noprefixroute', ` label ${l.name}:1`]) : '';
  const bcast = p < 31 && chance(m.rng, 0.2) ? ' brd +' : '';
  emit(m, l.ns, `ip addr add ${ip}/${p}${bcast} dev ${l.name}${extra}`);
  if (!l.addrs.some((a) => a.ip === ip)) l.addrs.push({ ip, plen: p });
}

function addrDel(m: Model): void {
  const all = allAddrs(m);
  if (all.length === 0) return;
  const a = pick(m.rng, all);
  emit(m, a.link.ns, `ip addr del ${a.ip}/${a.plen} dev ${a.link.name}`);
  a.link.addrs.splice(
    a.link.addrs.findIndex((x) => x.ip === a.ip),
    1,
  );
}

/** A destination somewhere: a pod CIDR, a peer's address, a Service-like VIP. */
function someDst(m: Model): string {
  const rng = m.rng;
  const all = allAddrs(m);
  const r = rng.int(0, 4);
  if (r === 0 && all.length > 0) return `${pick(rng, all).ip}/32`;
  if (r === 1) return `10.244.${rng.int(0, 4)}.0/24`;
  if (r === 2) return `10.96.0.${rng.int(1, 20)}/32`;
  return `${pick(rng, ['172.16', '192.168', '10.250'])}.${rng.int(0, 8)}.0/${pick(rng, [16, 24, 26])}`.replace(/\.\d+\.0\/16$/, '.0.0/16');
}

function routeAdd(m: Model): void {
  const rng = m.rng;
  const nss = nsOfLinks(m);
  if (nss.length === 0) return;
  const ns = pick(rng, nss);
  const links = m.links.filter((l) => l.ns === ns && l.master === undefined);
  if (links.length === 0) return;
  const l = pick(rng, links);
  const dst = chance(rng, 0.15) ? 'default' : someDst(m);
  const verb = chance(rng, 0.2) ? 'replace' : 'add';
  let tail: string;
  const kind = rng.int(0, 6);
  if (kind === 0) tail = `${pick(rng, ['blackhole', 'unreachable', 'prohibit'])} ${dst}`;
  else if (kind === 1) tail = `${dst} dev ${l.name} scope link`;
  else if (kind === 2 || l.addrs.length === 0) {
    // onlink: the gateway need not be in a connected subnet (flannel host-gw, Calico).
    const gw = l.addrs.length > 0 ? ipOf(ipNum(l.addrs[0]!.ip) ^ 1) : `169.254.1.${rng.int(1, 9)}`;
    tail = `${dst} via ${gw} dev ${l.name} onlink`;
  } else {
    const a = pick(rng, l.addrs);
    const gw = a.plen >= 31 ? ipOf(ipNum(a.ip) ^ 1) : ipOf(ipNum(network(a.ip, a.plen)) + rng.int(1, 6));
    tail = `${dst} via ${gw}${chance(rng, 0.5) ? ` dev ${l.name}` : ''}`;
  }
  if (chance(rng, 0.3)) tail += ` metric ${pick(rng, [0, 10, 100, 1024])}`;
  if (chance(rng, 0.3)) tail += ` proto ${pick(rng, PROTOS)}`;
  if (chance(rng, 0.2)) tail += ` table ${pick(rng, TABLES)}`;
  if (chance(rng, 0.1) && l.addrs.length > 0) tail += ` src ${l.addrs[0]!.ip}`;
  emit(m, ns, `ip route ${verb} ${tail}`);
  if (chance(m.mp, 0.35)) multipathAdd(m, ns);
}

/**
 * An ECMP route in namespace `ns` to 198.18.N.0/24 (never a ping's or a lookup's target): two to
 * four paths through its devices — via a gateway on a connected subnet, via an onlink gateway, or
 * a device alone — with weights, sometimes a single path, the route's own metric, protocol and
 * table, and now and then a del by its first path or by all of them.
 */
function multipathAdd(m: Model, ns: string): void {
  const rng = m.mp;
  const links = m.links.filter((l) => l.ns === ns && l.master === undefined);
  if (links.length === 0) return;
  const line = (cmd: string): void => {
    m.lines.push(inNs(m, ns, cmd, rng));
    m.extra++;
  };
  const n = chance(rng, 0.15) ? 1 : rng.int(2, 5);
  const hops: string[] = [];
  for (let i = 0; i < n; i++) {
    const l = pick(rng, links);
    const kind = rng.int(0, 4);
    let hop: string;
    if (kind === 0 || (kind === 1 && l.addrs.length === 0)) hop = `nexthop via 169.254.1.${rng.int(1, 9)} dev ${l.name} onlink`;
    else if (kind === 1) hop = `nexthop dev ${l.name}`;
    else {
      const a = l.addrs.length > 0 ? pick(rng, l.addrs) : undefined;
      const gw =
        a === undefined
          ? `10.${rng.int(0, 4)}.0.1`
          : a.plen >= 31
            ? ipOf(ipNum(a.ip) ^ 1)
            : ipOf(ipNum(network(a.ip, a.plen)) + rng.int(1, 6));
      hop = `nexthop via ${gw}${chance(rng, 0.6) ? ` dev ${l.name}` : ''}`;
    }
    if (chance(rng, 0.4)) hop += ` weight ${pick(rng, [1, 2, 3, 10, 256])}`;
    hops.push(hop);
  }
  const dst = `198.18.${rng.int(0, 6)}.0/24`;
  let head = dst;
  if (chance(rng, 0.3)) head += ` metric ${pick(rng, [0, 10, 100])}`;
  if (chance(rng, 0.2)) head += ` proto ${pick(rng, PROTOS)}`;
  if (chance(rng, 0.15)) head += ` table ${pick(rng, TABLES)}`;
  line(`ip route ${pick(rng, ['add', 'add', 'add', 'replace', 'append', 'prepend'])} ${head} ${hops.join(' ')}`);
  const r = rng.int(0, 6);
  if (r === 0) line(`ip route del ${head} ${hops[0]}`);
  else if (r === 1) line(`ip route del ${head} ${hops.join(' ')}`);
  else if (r === 2) line(pick(rng, ['ip route', 'ip -o route', 'ip -j route', `ip -d route show ${dst}`]));
}

function ruleAdd(m: Model): void {
  const ns = pick(m.rng, ['', ...m.namespaces]);
  const sel = pick(m.rng, [`from 10.244.${m.rng.int(0, 4)}.0/24`, `fwmark ${pick(m.rng, MARKS)}`, `to 10.96.0.0/12`, `iif lo`]);
  const prio = chance(m.rng, 0.5) ? ` priority ${m.rng.int(100, 32000)}` : '';
  emit(m, ns, `ip rule add ${sel} table ${pick(m.rng, ['100', '200'])}${prio}`);
}

function neighAdd(m: Model): void {
  const cands = m.links.filter((l) => l.addrs.length > 0 && l.kind !== 'bridge');
  if (cands.length === 0) return;
  const l = pick(m.rng, cands);
  const a = pick(m.rng, l.addrs);
  const ip = ipOf(ipNum(a.ip) + (a.plen >= 31 ? 0 : 7) + m.rng.int(1, 4));
  const nud = pick(m.rng, ['permanent', 'noarp', 'stale']);
  const mac = `0a:58:0a:f4:0${m.rng.int(0, 9)}:${String(m.rng.int(10, 99))}`;
  emit(m, l.ns, `ip neigh ${pick(m.rng, ['add', 'replace'])} ${ip} lladdr ${mac} dev ${l.name} nud ${nud}`);
}

function vxlanAdd(m: Model): void {
  const rng = m.rng;
  const under = m.links.filter((l) => l.kind === 'veth' && l.addrs.length > 0);
  const ns = under.length > 0 ? pick(rng, under).ns : pick(rng, ['', ...m.namespaces]);
  const u = under.find((l) => l.ns === ns);
  const name = freeName(m, ns, pick(rng, ['vxlan', 'flannel.']));
  let cmd = `ip link add ${name} type vxlan id ${rng.int(1, 100)} dstport ${pick(rng, [4789, 8472])}`;
  if (u !== undefined) cmd += ` local ${u.addrs[0]!.ip} dev ${u.name}`;
  if (chance(rng, 0.5)) cmd += ' nolearning';
  emit(m, ns, cmd);
  m.links.push({ name, ns, kind: 'vxlan', up: false, addrs: [], seg: ++m.segs });
  if (chance(rng, 0.6)) {
    const dst = `192.168.${rng.int(0, 4)}.${rng.int(2, 9)}`;
    emit(m, ns, `bridge fdb append ${pick(rng, ['00:00:00:00:00:00', '0e:b2:00:00:00:02'])} dev ${name} dst ${dst}`);
  }
}

function fdbAdd(m: Model): void {
  const ports = m.links.filter((l) => l.master !== undefined);
  if (ports.length === 0) return;
  const p = pick(m.rng, ports);
  emit(m, p.ns, `bridge fdb add 0a:58:0a:f4:01:${String(m.rng.int(10, 99))} dev ${p.name} master ${pick(m.rng, ['static', 'permanent'])}`);
}

function sysctlMove(m: Model): void {
  const rng = m.rng;
  const ns = pick(rng, ['', ...m.namespaces]);
  const devs = ['all', 'default', ...m.links.filter((l) => l.ns === ns).map((l) => l.name)];
  const dev = pick(rng, devs);
  const r = rng.int(0, 6);
  const key =
    r === 0
      ? 'net.ipv4.ip_forward'
      : r === 1
        ? `net.ipv4.conf.${dev}.rp_filter`
        : r === 2
          ? `net.ipv4.conf.${dev}.proxy_arp`
          : r === 3
            ? `net.ipv4.conf.${dev}.arp_ignore`
            : r === 4
              ? `net.ipv4.conf.${dev}.arp_announce`
              : `net.ipv4.conf.${dev}.forwarding`;
  const value = r === 1 ? rng.int(0, 3) : r === 3 ? pick(rng, [0, 1, 2]) : r === 4 ? pick(rng, [0, 1, 2]) : rng.int(0, 2);
  emit(m, ns, chance(rng, 0.75) ? `sysctl -w ${key}=${value}` : `sysctl ${key}`);
}

function ipsetMove(m: Model): void {
  const ns = '';
  if (m.sets.length === 0 || chance(m.rng, 0.3)) {
    const name =
      pick(m.rng, ['KUBE-CLUSTER-IP', 'cali40all-ipam-pools', 'KIND-PODS', 'allow']) + (m.sets.length > 0 ? String(m.sets.length) : '');
    emit(m, ns, `ipset create ${name} ${pick(m.rng, ['hash:ip', 'hash:net'])}`);
    m.sets.push(name);
  }
  const set = pick(m.rng, m.sets);
  const all = allAddrs(m);
  const member = all.length > 0 && chance(m.rng, 0.6) ? pick(m.rng, all).ip : `10.96.0.${m.rng.int(1, 20)}`;
  emit(m, ns, `ipset add ${set} ${member}`);
  if (chance(m.rng, 0.3)) emit(m, ns, `ipset test ${set} ${member}`);
}

/** A rule of the kinds kube-proxy, flannel, kindnet and Calico write; marks set in one table are read in another. */
function iptablesMove(m: Model): void {
  const rng = m.rng;
  const ns = chance(rng, 0.75) ? '' : pick(rng, ['', ...m.namespaces]);
  const addrs = allAddrs(m).map((a) => a.ip);
  const someIp = (): string => (addrs.length > 0 && chance(rng, 0.7) ? pick(rng, addrs) : `10.96.0.${rng.int(1, 20)}`);
  const mark = pick(rng, MARKS);
  const r = rng.int(0, 14);
  let rule: string;
  switch (r) {
    case 0:
      rule = `-t nat -A OUTPUT -d ${someIp()}/32 -j MARK --or-mark ${mark}`;
      break;
    case 1:
      rule = `-t nat -A PREROUTING -d ${someIp()}/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination ${someIp()}:8080`;
      break;
    case 2:
      rule = `-t nat -A OUTPUT -d 10.96.0.${rng.int(1, 20)}/32 -j DNAT --to-destination ${someIp()}`;
      break;
    case 3:
      rule = `-t nat -A POSTROUTING -m mark --mark ${mark}/${mark} -j MASQUERADE${chance(rng, 0.3) ? ' --random-fully' : ''}`;
      break;
    case 4:
      rule = `-t nat -A POSTROUTING -s 10.244.0.0/16 ! -d 10.244.0.0/16 -j MASQUERADE`;
      break;
    case 5:
      rule = `-t mangle -A ${pick(rng, ['PREROUTING', 'OUTPUT'])} -p icmp -j MARK --set-xmark ${mark}/0xffffffff`;
      break;
    case 6:
      rule = `-A ${pick(rng, ['OUTPUT', 'FORWARD', 'INPUT'])} -m mark --mark ${mark}/${mark} -j ACCEPT`;
      break;
    case 7:
      rule = `-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`;
      break;
    case 8:
      rule = `-A ${pick(rng, ['INPUT', 'OUTPUT'])} -d ${someIp()}/32 -p icmp -j ${pick(rng, ['DROP', 'REJECT', 'ACCEPT'])}`;
      break;
    case 9:
      rule = `-t raw -A ${pick(rng, ['PREROUTING', 'OUTPUT'])} -s ${someIp()}/32 -j ACCEPT`;
      break;
    case 10:
      rule = `-A ${pick(rng, ['INPUT', 'FORWARD'])} -m comment --comment "kubernetes forwarding rules" -j ACCEPT`;
      break;
    case 11: {
      if (m.sets.length === 0) return ipsetMove(m);
      rule = `-A ${pick(rng, ['OUTPUT', 'FORWARD'])} -m set --match-set ${pick(rng, m.sets)} ${pick(rng, ['dst', 'src'])} -j ACCEPT`;
      break;
    }
    case 12: {
      const chain = `KUBE-${pick(rng, ['SERVICES', 'FORWARD', 'FIREWALL', 'NODEPORTS'])}`;
      const table = pick(rng, ['filter', 'nat']);
      const key = `${ns}/${table}/${chain}`;
      if (!m.chains.includes(key)) {
        emit(m, ns, `iptables -t ${table} -N ${chain}`);
        m.chains.push(key);
      }
      rule = `-t ${table} -A ${table === 'nat' ? pick(rng, ['PREROUTING', 'OUTPUT']) : pick(rng, ['INPUT', 'FORWARD', 'OUTPUT'])} -j ${chain}`;
      break;
    }
    default:
      rule = `-P FORWARD ${pick(rng, ['DROP', 'ACCEPT'])}`;
  }
  emit(m, ns, `iptables ${rule}`);
}

/** One ping from a namespace with an address to an address somewhere (short: -W 1). */
function pingMove(m: Model): void {
  const rng = m.rng;
  const from = allAddrs(m).filter((a) => a.link.up);
  const to = allAddrs(m);
  if (from.length === 0 || to.length === 0) return;
  const src = pick(rng, from);
  const dst = chance(rng, 0.15) ? { ip: `10.96.0.${rng.int(1, 20)}` } : pick(rng, to);
  let opts = '-c 1 -W 1';
  const o = rng.int(0, 6);
  if (o === 0) opts = '-c 2 -i 0.2 -W 1';
  else if (o === 1) opts = `-c 1 -W 1 -s ${rng.int(16, 200)}`;
  else if (o === 2) opts = `-c 1 -W 1 -t ${rng.int(2, 64)}`;
  else if (o === 3) opts = `-c 1 -W 1 -I ${src.link.name}`;
  else if (o === 4) opts = '-c 1 -W 1 -q';
  emit(m, src.link.ns, `ping ${opts} ${dst.ip}`);
  m.traffic = true;
}

function inspect(m: Model): void {
  const rng = m.rng;
  const ns = pick(rng, ['', ...m.namespaces]);
  const links = m.links.filter((l) => l.ns === ns);
  const r = rng.int(0, 14);
  const dev = links.length > 0 ? pick(rng, links).name : 'lo';
  const addrs = allAddrs(m).map((a) => a.ip);
  const target =
    addrs.length > 0 && chance(rng, 0.6)
      ? pick(rng, addrs)
      : pick(rng, ['10.244.1.5', '10.96.0.1', '8.8.8.8', '172.16.3.4', '192.168.1.9']);
  switch (r) {
    case 0:
      return emit(m, ns, pick(rng, ['ip link', 'ip link show', 'ip -o link']));
    case 1:
      return emit(m, ns, `ip -d link show ${dev}`);
    case 2:
      return emit(m, ns, pick(rng, ['ip addr', 'ip -4 addr show', `ip addr show dev ${dev}`, 'ip -br addr']));
    case 3:
      return emit(
        m,
        ns,
        pick(rng, ['ip route', 'ip -4 route show table all', 'ip -d route', 'ip route show table local', 'ip route show table 100']),
      );
    case 4:
      return emit(m, ns, `ip route get ${target}${chance(rng, 0.2) ? ` mark ${pick(rng, MARKS)}` : ''}`);
    case 5:
      return m.traffic
        ? emit(m, ns, 'ip route show type blackhole')
        : emit(m, ns, pick(rng, ['ip neigh', 'ip neigh show nud permanent', `ip neigh show dev ${dev}`]));
    case 6:
      return emit(m, ns, pick(rng, ['bridge fdb show', `bridge fdb show dev ${dev}`, 'bridge link']));
    case 7:
      return emit(m, ns, `iptables ${pick(rng, ['', '-t nat ', '-t mangle ', '-t raw '])}-L -n -v`);
    case 8:
      return emit(m, ns, pick(rng, ['iptables-save', 'iptables-save -t nat', 'iptables -S', 'iptables -t nat -S']));
    case 9:
      return emit(m, ns, pick(rng, ['conntrack -L', 'conntrack -L -p icmp']));
    case 10:
      return emit(m, ns, 'ip rule');
    case 11:
      return emit(m, ns, pick(rng, ['ip -j route', 'ip -j addr', 'ip -j link']));
    case 12:
      return emit(m, ns, `sysctl net.ipv4.conf.${pick(rng, ['all', dev])}.rp_filter`);
    default:
      return emit(m, ns, 'ip netns list');
  }
}

const MOVES: readonly [number, (m: Model) => void][] = [
  [3, netnsAdd],
  [3, vethAdd],
  [4, podWire],
  [2, bridgeAdd],
  [2, enslave],
  [8, linkUp],
  [1, linkSet],
  [8, addrAdd],
  [1, addrDel],
  [5, routeAdd],
  [1, ruleAdd],
  [2, neighAdd],
  [1, vxlanAdd],
  [1, fdbAdd],
  [3, sysctlMove],
  [2, ipsetMove],
  [5, iptablesMove],
  [6, pingMove],
  [7, inspect],
];
const TOTAL = MOVES.reduce((a, [w]) => a + w, 0);

/** How many commands a generated script has (at least; a move may write a few lines). */
export const DEFAULT_LENGTH = 14;

/** The script of `seed`: the same seed always gives the same script. */
export function generateScript(seed: number, length = DEFAULT_LENGTH): string {
  const m: Model = {
    rng: new Rng(`fuzz:${seed}`),
    namespaces: [],
    links: [],
    sets: [],
    chains: [],
    segs: 0,
    traffic: false,
    lines: [],
    mp: new Rng(`fuzz-multipath:${seed}`),
    br: new Rng(`fuzz-bridge-port:${seed}`),
    extra: 0,
  };
  // Every script starts as a node does: a namespace and a veth pair to it.
  netnsAdd(m);
  vethAdd(m);
  while (m.lines.length - m.extra < length) {
    let r = m.rng.int(0, TOTAL);
    for (const [w, move] of MOVES) {
      if ((r -= w) < 0) {
        move(m);
        break;
      }
    }
  }
  // End by looking: what a user checks after wiring a node.
  for (let i = 0; i < 3; i++) inspect(m);
  return `# knetlab fuzz seed ${seed}\n${m.lines.join('\n')}\n`;
}
