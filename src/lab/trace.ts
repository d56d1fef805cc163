// `knetlab trace`: one packet explained hop by hop in a kind cluster of the lab. The probe is a real
// packet (an ICMP echo request, a TCP SYN or a UDP datagram, as hping3 would send it) injected into
// the source's network namespace with a Walk attached; every decision the kernels make about it
// and about what answers it (kernel/walk.ts) is then printed host by host, with the route as
// `ip route get` prints it, the neighbour and VXLAN FDB entries used, every netfilter rule that
// matched as `iptables -S` prints it, the NAT it did and the conntrack entry it made.
import type { KubeObject } from '../api/index.js';
import { ipSend, KernelError, STRERROR, Walk, type Netns, type WalkEvent } from '../kernel/index.js';
import type { Session } from '../shell/session.js';
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, ICMP_ECHO_REQUEST, parseIpv4, TCP_SYN } from '../wire/index.js';
import type { CommandFamily, CommandIo } from './command.js';
import type { Lab } from './lab.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const TRACE_USAGE = `usage: knetlab trace [--cluster NAME] [-n NAMESPACE] FROM TO [icmp|tcp:PORT|udp:PORT]

Sends ONE real probe packet from FROM to TO and explains, hop by hop, what every kernel on the
way did with it and with its answer: the host and network namespace, the devices it crossed, the
route (as \`ip route get\` prints it), the neighbour and VXLAN FDB entries used, the encapsulation,
the bridge's forwarding, every netfilter rule that matched (as \`iptables -S\` prints it) with the
chosen Service endpoint and why, the NAT done and the conntrack entry made.

  FROM   pod/NAME          a pod (in NAMESPACE, default "default")
         node/NAME         a node's own network namespace (kind's node container)
         host/NAME         another host of the lab's network by its name (the kind node
                           containers today: a \`docker run\` container has no network yet)
  TO     pod/NAME | node/NAME | host/NAME | svc/NAME[:PORT] | IP[:PORT]
  PROTO  icmp (an echo request; the default without a port), tcp:PORT (a SYN), udp:PORT (a
         datagram with no payload). A port on TO (IP:PORT, svc/NAME:PORT) means tcp unless udp is
         given; svc/NAME alone takes the Service's first port and its protocol.
  --cluster NAME   the kind cluster (default: the kubeconfig's current context)

The probe is real, as ping -c 1 or hping3 -S -c 1 would be: iptables counters, conntrack entries
and neighbour caches change as they would for that packet, and 1 s of virtual time passes.
`;

class TraceError extends Error {}

interface Endpoint {
  /** How the user named it, e.g. pod/pod-1 */
  readonly name: string;
  readonly ip: string;
  /** The host (kind node or docker container) whose kernel holds it, and its netns there (root when undefined). */
  readonly host?: string;
  readonly netns?: string;
}

interface Probe {
  readonly proto: 'icmp' | 'tcp' | 'udp';
  readonly port?: number;
}

function parsePort(text: string, what: string): number {
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 65535)) throw new TraceError(`knetlab trace: ${what} "${text}": a port is 1-65535`);
  return n;
}

function parseProto(text: string): Probe {
  if (text === 'icmp') return { proto: 'icmp' };
  const m = /^(tcp|udp)(?::(.*))?$/.exec(text);
  if (!m) throw new TraceError(`knetlab trace: protocol "${text}": use icmp, tcp:PORT or udp:PORT`);
  return { proto: m[1] as 'tcp' | 'udp', ...(m[2] === undefined ? {} : { port: parsePort(m[2], 'port') }) };
}

/** Where a host's sessions are: a kind node's container or another container of the world. */
function sessionOf(lab: Lab, host: string): Session | undefined {
  const node = lab.kind.node(host);
  if (node) return node.host.session;
  if (host === 'machine') return lab.world.machine.session;
  return lab.world.hasHost(host) ? lab.world.host(host).session : undefined;
}

function clusterOf(lab: Lab, name: string | undefined) {
  const kc = name === undefined ? lab.kind.byContext() : lab.kind.get(name);
  if (!kc)
    throw new TraceError(
      name === undefined
        ? 'knetlab trace: no kind cluster is the current context; create one or give --cluster NAME'
        : `knetlab trace: --cluster "${name}": no such kind cluster (there are: ${lab.kind.names().join(', ') || 'none'})`,
    );
  return kc;
}

function get(kc: ReturnType<typeof clusterOf>, resource: string, ns: string | undefined, name: string): KubeObject | undefined {
  try {
    return kc.cluster.api.get(resource, ns, name);
  } catch {
    return undefined;
  }
}

function podEndpoint(lab: Lab, kc: ReturnType<typeof clusterOf>, ns: string, name: string, spec: string): Endpoint {
  const pod = get(kc, 'pods', ns, name);
  if (!pod) throw new TraceError(`knetlab trace: ${spec}: no pod "${name}" in namespace "${ns}" of cluster "${kc.name}"`);
  const nodeName = (pod.spec as Obj).nodeName as string | undefined;
  const ip = (pod.status as Obj | undefined)?.podIP as string | undefined;
  if (!nodeName || !ip) throw new TraceError(`knetlab trace: ${spec}: the pod has no IP yet (kubectl get pod ${name} -n ${ns} -o wide)`);
  const node = lab.kind.node(nodeName);
  const container = ((pod.spec as Obj).containers as Obj[])[0]?.name as string;
  const c = node?.kubelet?.container(ns, name, container);
  if (!node || node.down || !c) throw new TraceError(`knetlab trace: ${spec}: the pod's sandbox does not run on ${nodeName}`);
  return { name: spec, ip, host: nodeName, ...(c.netns === undefined ? {} : { netns: c.netns }) };
}

function endpoint(
  lab: Lab,
  kc: ReturnType<typeof clusterOf>,
  ns: string,
  spec: string,
  side: 'FROM' | 'TO',
): Endpoint & { port?: number; proto?: 'tcp' | 'udp' } {
  const [kind, rest] = spec.includes('/') ? [spec.slice(0, spec.indexOf('/')), spec.slice(spec.indexOf('/') + 1)] : ['', spec];
  switch (kind) {
    case 'pod':
    case 'po':
      return podEndpoint(lab, kc, ns, rest, spec);
    case 'node':
    case 'no': {
      const node = lab.kind.node(rest);
      if (!node || node.cluster !== kc.name) throw new TraceError(`knetlab trace: ${spec}: no node "${rest}" in cluster "${kc.name}"`);
      if (node.down) throw new TraceError(`knetlab trace: ${spec}: the node's container is stopped`);
      return { name: spec, ip: node.info.ip, host: rest };
    }
    case 'host': {
      if (!lab.world.hasHost(rest)) throw new TraceError(`knetlab trace: ${spec}: no container "${rest}" on the lab's docker networks`);
      const ip = lab.world
        .host(rest)
        .session.host.root.allAddrs()
        .find((a) => a.dev.name !== 'lo')?.local;
      if (ip === undefined) throw new TraceError(`knetlab trace: ${spec}: the container has no IPv4 address`);
      return { name: spec, ip: fmt(ip), host: rest };
    }
    case 'svc':
    case 'service': {
      if (side === 'FROM') throw new TraceError(`knetlab trace: FROM "${spec}": a Service sends nothing; trace from one of its pods`);
      const [svcName, portText] = rest.split(':') as [string, string | undefined];
      const svc = get(kc, 'services', ns, svcName);
      if (!svc) throw new TraceError(`knetlab trace: ${spec}: no service "${svcName}" in namespace "${ns}" of cluster "${kc.name}"`);
      const clusterIP = (svc.spec as Obj).clusterIP as string | undefined;
      if (!clusterIP || clusterIP === 'None')
        throw new TraceError(`knetlab trace: ${spec}: the service is headless (clusterIP None); trace to one of its pods`);
      const ports = ((svc.spec as Obj).ports ?? []) as Obj[];
      const p = portText === undefined ? ports[0] : ports.find((x) => String(x.port) === portText || x.name === portText);
      if (portText !== undefined && !p)
        throw new TraceError(
          `knetlab trace: ${spec}: the service has no port "${portText}" (it has ${ports.map((x) => x.port).join(', ') || 'none'})`,
        );
      return {
        name: spec,
        ip: clusterIP,
        ...(p ? { port: p.port as number, proto: ((p.protocol as string | undefined) ?? 'TCP').toLowerCase() as 'tcp' | 'udp' } : {}),
      };
    }
    case '': {
      const m = /^(\d+\.\d+\.\d+\.\d+)(?::(.*))?$/.exec(spec);
      if (!m || parseIpv4(m[1]!) === undefined)
        throw new TraceError(
          `knetlab trace: ${side} "${spec}": give pod/NAME, node/NAME, host/NAME${side === 'TO' ? ', svc/NAME[:PORT] or IP[:PORT]' : ''}`,
        );
      if (side === 'FROM')
        throw new TraceError(`knetlab trace: FROM "${spec}": name the sender (pod/NAME, node/NAME or host/NAME), not an address`);
      return { name: spec, ip: m[1]!, ...(m[2] === undefined ? {} : { port: parsePort(m[2], 'port') }) };
    }
    default:
      throw new TraceError(`knetlab trace: ${side} "${spec}": unknown kind "${kind}" (pod, node, host${side === 'TO' ? ', svc' : ''})`);
  }
}

function fmt(ip: number): string {
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}

interface Request {
  readonly cluster?: string;
  readonly namespace: string;
  readonly from: string;
  readonly to: string;
  readonly proto?: string;
}

function parseArgs(argv: readonly string[]): Request {
  let cluster: string | undefined;
  let namespace = 'default';
  const pos: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (flag: string) => {
      const v = argv[++i];
      if (v === undefined || v === '') throw new TraceError(`knetlab trace: ${flag} needs a value`);
      return v;
    };
    if (a === '--cluster' || a === '--name') cluster = value(a);
    else if (a.startsWith('--cluster=')) cluster = a.slice('--cluster='.length);
    else if (a === '-n' || a === '--namespace') namespace = value(a);
    else if (a.startsWith('--namespace=')) namespace = a.slice('--namespace='.length);
    else if (a.startsWith('-') && a !== '-') throw new TraceError(`knetlab trace: unknown option "${a}"`);
    else pos.push(a);
  }
  if (pos.length < 2 || pos.length > 3)
    throw new TraceError(
      `knetlab trace: give FROM and TO${pos.length > 3 ? `, then at most a protocol (got "${pos.slice(3).join(' ')}")` : ''}`,
    );
  return {
    ...(cluster === undefined ? {} : { cluster }),
    namespace,
    from: pos[0]!,
    to: pos[1]!,
    ...(pos[2] === undefined ? {} : { proto: pos[2] }),
  };
}

/** Runs a read-only tool (ip, bridge, iptables -S) in a host's netns, taking no virtual time. */
function look(lab: Lab, host: string, netns: string | undefined, argv: readonly string[]): string | undefined {
  const s = sessionOf(lab, host);
  if (!s) return undefined;
  const r = s.exec(netns === undefined ? argv : ['ip', 'netns', 'exec', netns, ...argv], undefined, undefined, undefined, {
    settle: false,
  });
  return r.status === 0 ? r.stdout : undefined;
}

function netnsOf(label: string): { host: string; netns?: string } {
  const i = label.indexOf('/');
  return i < 0 ? { host: label } : { host: label.slice(0, i), netns: label.slice(i + 1) };
}

/** What the user knows a namespace as: the node, or the pod whose sandbox it is. */
function describeNetns(lab: Lab, label: string): string {
  const { host, netns } = netnsOf(label);
  if (host === 'machine') return "docker host (the kind network's bridge)";
  const node = lab.kind.node(host);
  if (netns === undefined) return node ? `node ${host}` : `container ${host}`;
  const sb = node?.kubelet?.sandboxes().find((s) => s.netns === netns);
  return sb ? `pod ${sb.key} on ${host} (netns ${netns})` : `${host} netns ${netns}`;
}

const indent = (text: string, pad: string) =>
  text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => pad + l.trimEnd())
    .join('\n');

/** The explanation of one event, enriched by what the tools of that namespace print. */
function explain(lab: Lab, e: WalkEvent): string[] {
  const { host, netns } = netnsOf(e.netns);
  const out: string[] = [];
  const stage = e.stage.padEnd(9);
  const dev = e.dev ? ` ${e.dev}` : '';
  switch (e.stage) {
    case 'route': {
      const ip = e.ip;
      if (ip) {
        // an input route was looked up for the device it came in on; an output one for the sender
        const argv = e.dev ? ['ip', 'route', 'get', ip.dst, 'from', ip.src, 'iif', e.dev] : ['ip', 'route', 'get', ip.dst];
        const got = look(lab, host, netns, argv);
        out.push(`${stage}$ ${argv.join(' ')}`);
        out.push(got ? indent(got, '             ') : `             ${e.detail}`);
        const fib = look(lab, host, netns, ['ip', 'route', 'get', 'fibmatch', ip.dst, ...(e.dev ? ['from', ip.src, 'iif', e.dev] : [])]);
        if (fib) out.push(indent(fib, '             route: '));
        return out;
      }
      break;
    }
    case 'neigh': {
      // "<ip> lladdr <mac> <STATE>" as ip neigh prints it, with the device it was used on
      const m = /^(\S+) (?:lladdr (\S+) )?(\S+)$/.exec(e.detail);
      if (m) return [`${stage}${dev}: ${m[1]} dev ${e.dev}${m[2] ? ` lladdr ${m[2]}` : ''} ${m[3]}`];
      break;
    }
    case 'encap': {
      out.push(`${stage}${dev}: ${e.detail}`);
      if (e.inner && e.dev) {
        const fdb = look(lab, host, netns, ['bridge', 'fdb', 'show', 'dev', e.dev]);
        const entry =
          fdb?.split('\n').find((l) => l.startsWith(`${e.inner!.eth.dst} `)) ??
          fdb?.split('\n').find((l) => l.startsWith('00:00:00:00:00:00 '));
        if (entry) out.push(`             $ bridge fdb show dev ${e.dev}: ${entry}`);
        const link = look(lab, host, netns, ['ip', '-d', 'link', 'show', e.dev]);
        const vx = link && /vxlan id \d+.*?dstport \d+/.exec(link)?.[0];
        if (vx) out.push(`             ${e.dev}: ${vx.replace(/ srcport \d+ \d+/, '')}`);
        if (e.ip) {
          const outer = ['ip', 'route', 'get', e.ip.dst];
          const got = look(lab, host, netns, outer);
          if (got) out.push(`             $ ${outer.join(' ')}`, indent(got, '             '));
        }
      }
      return out;
    }
    case 'netfilter': {
      out.push(`${stage}${dev}: ${e.detail}`);
      const why = statisticWhy(lab, host, netns, e.detail);
      if (why) out.push(`             ${why}`);
      return out;
    }
    default:
      break;
  }
  return [`${stage}${dev}: ${e.detail}`];
}

/**
 * Why a Service's endpoint was chosen: its KUBE-SVC chain's jumps to the KUBE-SEP chains are tried
 * in order, each with `-m statistic --mode random --probability P` but the last, so endpoint k of n
 * takes 1/n of new connections.
 */
function statisticWhy(lab: Lab, host: string, netns: string | undefined, detail: string): string | undefined {
  const m = /^(\w+) -A (\S+) .*-j (KUBE-SEP-\S+)/.exec(detail);
  if (!m) return undefined;
  const [, table, chain, sep] = m;
  const rules =
    look(lab, host, netns, ['iptables', '-t', table!, '-S', chain!])
      ?.split('\n')
      .filter((l) => / -j KUBE-SEP-/.test(l)) ?? [];
  const k = rules.findIndex((l) => l.endsWith(`-j ${sep}`));
  if (k < 0 || rules.length === 0) return undefined;
  const n = rules.length;
  const p = /--probability (\S+)/.exec(rules[k]!)?.[1];
  const before = k === 0 ? '' : `the draws of the ${k} rule${k === 1 ? '' : 's'} before it missed; `;
  if (n === 1) return `endpoint 1 of 1: ${sep} takes every new connection (no statistic match)`;
  return `endpoint ${k + 1} of ${n}: ${before}${p ? `this rule's random draw (probability ${p}) hit` : 'this last rule has no statistic match and takes what is left'}; each endpoint gets 1/${n} of new connections`;
}

function describeProbe(p: Probe): string {
  return p.proto === 'icmp' ? 'ICMP echo request' : p.proto === 'tcp' ? `TCP SYN to port ${p.port}` : `UDP datagram to port ${p.port}`;
}

/** A namespace in a path: the pod's name for a pod's sandbox, the node's, or docker-host. */
function shortName(lab: Lab, label: string): string {
  const { host, netns } = netnsOf(label);
  if (host === 'machine') return 'docker-host';
  if (netns === undefined) return host;
  const sb = lab.kind
    .node(host)
    ?.kubelet?.sandboxes()
    .find((s) => s.netns === netns);
  return sb ? sb.key.slice(sb.key.indexOf('/') + 1) : `${host}/${netns}`;
}

/** The devices the packet of one segment crossed, in order: the path a user draws (ARP left out). */
function pathOf(lab: Lab, events: readonly WalkEvent[]): string {
  const hops: string[] = [];
  const push = (h: string) => {
    const last = hops[hops.length - 1];
    if (last === h || last === h.replace(/ \((en|de)cap\)$/, '') + ' (decap)') return;
    if (h === `${last} (encap)`) hops[hops.length - 1] = h;
    else hops.push(h);
  };
  for (const e of events) {
    if (!e.dev || !e.ip) continue;
    const at = `${shortName(lab, e.netns)}:${e.dev}`;
    if (e.stage === 'rx' || e.stage === 'xmit' || e.stage === 'bridge') push(at);
    else if (e.stage === 'encap' || e.stage === 'decap') push(`${at} (${e.stage})`);
  }
  return hops.join(' -> ');
}

async function runTrace(lab: Lab, argv: readonly string[], io: CommandIo): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.stdout(TRACE_USAGE);
    return 0;
  }
  const req = parseArgs(argv);
  const kc = clusterOf(lab, req.cluster);
  const from = endpoint(lab, kc, req.namespace, req.from, 'FROM');
  const to = endpoint(lab, kc, req.namespace, req.to, 'TO');
  let probe: Probe =
    req.proto !== undefined
      ? parseProto(req.proto)
      : to.port !== undefined
        ? { proto: to.proto ?? 'tcp', port: to.port }
        : { proto: 'icmp' };
  if (probe.proto !== 'icmp' && probe.port === undefined) {
    if (to.port === undefined) throw new TraceError(`knetlab trace: ${probe.proto} needs a port: ${probe.proto}:PORT`);
    probe = { ...probe, port: to.port };
  }
  const session = sessionOf(lab, from.host!)!;
  const ns: Netns | undefined = from.netns === undefined ? session.host.root : session.host.netns(from.netns);
  if (!ns) throw new TraceError(`knetlab trace: ${from.name}: its network namespace is gone`);
  const dst = parseIpv4(to.ip)!;
  const walk = new Walk();
  const now = lab.clock.now();
  // hping3's way: a source port of its own (seeded by the time, so a replay sends the same packet)
  const sport = 32768 + (Math.floor(now) % 28000);
  const ident = (Math.floor(now) * 7919) & 0xffff;
  const payload =
    probe.proto === 'icmp'
      ? { kind: 'icmp' as const, type: ICMP_ECHO_REQUEST, code: 0, rest: ((ident << 16) | 1) >>> 0, data: new Uint8Array(56) }
      : probe.proto === 'tcp'
        ? {
            kind: 'tcp' as const,
            srcPort: sport,
            dstPort: probe.port!,
            seq: (now * 2654435761) >>> 0,
            ack: 0,
            flags: TCP_SYN,
            window: 64240,
            urgent: 0,
            options: new Uint8Array(0),
            payload: new Uint8Array(0),
          }
        : {
            kind: 'udp' as const,
            srcPort: sport,
            dstPort: probe.port!,
            zeroChecksum: false,
            payload: { kind: 'raw' as const, bytes: new Uint8Array(0) },
          };
  const protocol = probe.proto === 'icmp' ? IPPROTO_ICMP : probe.proto === 'tcp' ? IPPROTO_TCP : IPPROTO_UDP;
  const port = probe.port ? `:${probe.port}` : '';
  const target = /^\d/.test(to.name) ? `${to.ip}${port}` : `${to.name} (${to.ip}${port})`;
  io.stdout(`knetlab trace: ${from.name} (${from.ip}) -> ${target}, one ${describeProbe(probe)}, cluster ${kc.name}\n`);
  io.stdout('(a real packet: counters, conntrack and neighbour caches change as for ping -c 1 / hping3 -c 1)\n');
  try {
    ipSend(ns, { dst, protocol, payload }, walk);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    io.stdout(`\nthe sender cannot send it: ${STRERROR[e.errno]}\n`);
    return 1;
  }
  await lab.wait(1000, io.signal);
  kc.cluster.settle();
  // segments: the probe, then each packet sent in answer (echo reply, SYN-ACK or RST, ICMP error)
  const segments: WalkEvent[][] = [];
  let prev: WalkEvent | undefined;
  for (const e of walk.events) {
    // a packet a process sends on for the kernel (flanneld's udp proxy after flannel0) is the same packet
    const carried = prev?.stage === 'encap' && prev.netns === e.netns;
    if ((e.stage === 'tx' && !carried) || segments.length === 0) segments.push([]);
    prev = e;
    segments[segments.length - 1]!.push(e);
  }
  let delivered = false;
  segments.forEach((seg, i) => {
    const head = seg.find((e) => e.stage === 'tx');
    const title = i === 0 ? 'the probe' : 'the answer';
    io.stdout(`\n== ${title}: ${head?.detail ?? ''}\n`);
    let label = '';
    let hop = 0;
    for (const e of seg) {
      // ARP frames: the arp lines say what they did; their copies at every port are noise
      if ((e.stage === 'rx' || e.stage === 'xmit' || e.stage === 'bridge') && !e.ip) continue;
      if (e.netns !== label) {
        label = e.netns;
        io.stdout(`\n${++hop}. ${describeNetns(lab, label)}\n`);
      }
      for (const line of explain(lab, e)) io.stdout(`   ${line}\n`);
    }
    io.stdout(`\n   path: ${pathOf(lab, seg)}\n`);
    const end = seg[seg.length - 1];
    if (i === 0) delivered = seg.some((e) => e.stage === 'local');
    const dropped = seg.find((e) => e.stage === 'drop');
    const home = from.netns === undefined ? from.host : `${from.host}/${from.netns}`;
    const back = i > 0 && dropped !== undefined && dropped.netns === home && /^no socket /.test(dropped.detail);
    io.stdout(
      `   verdict: ${back ? `back at ${from.name} (the probe has no socket waiting for it, as hping3's raw probe: ${dropped.detail})` : dropped ? `dropped in ${describeNetns(lab, dropped.netns)}: ${dropped.detail}` : end?.stage === 'local' ? `delivered in ${describeNetns(lab, end.netns)}: ${end.detail}` : 'left the traced path'}\n`,
    );
  });
  // the conntrack entries the probe made, where it made them
  const confirmed = [
    ...new Set(
      walk.events.filter((e) => e.stage === 'netfilter' && e.detail.startsWith('conntrack: new connection confirmed')).map((e) => e.netns),
    ),
  ];
  for (const label of confirmed) {
    const { host, netns } = netnsOf(label);
    const ct = look(lab, host, netns, ['conntrack', '-L', '-p', probe.proto, '-s', from.ip]);
    const mine = probe.proto === 'icmp' ? ` id=${ident} ` : ` sport=${sport} `;
    const lines = ct?.split('\n').filter((l) => l.includes(mine)) ?? [];
    if (lines.length)
      io.stdout(
        `\nconntrack in ${describeNetns(lab, label)} (conntrack -L -p ${probe.proto} -s ${from.ip}):\n${lines.map((l) => `   ${l}`).join('\n')}\n`,
      );
  }
  return delivered ? 0 : 1;
}

export const trace: CommandFamily = {
  name: 'trace',
  run: async (lab, argv, io) => {
    try {
      return await runTrace(lab, argv, io);
    } catch (e) {
      if (!(e instanceof TraceError)) throw e;
      io.stderr(`${e.message}\n`);
      return 2;
    }
  },
  // the probe is a real packet: counters, conntrack and neighbours change, and time passes
  mutates: (argv) => !(argv.includes('-h') || argv.includes('--help')),
};
