// upstream's packet-flow tests (proxier_test.go runPacketFlowTests) through knetlab's emulated
// kernel instead of upstream's rule tracer: a node holding kube-proxy's jump rules and payload;
// packets written into a TUN device `in` as a pod or an outside client sends them, or connect()s
// of the node itself (from its IP or localhost); and what the node does with them read back from
// either TUN device: forwarded (towards the endpoints), or answered (REJECT's ICMP error, the reset
// of a port nobody listens on). Upstream's tracer follows every statistic branch; here each
// connection takes one, so a flow opens many connections and collects where they went.
import assert from 'node:assert/strict';
import { SimHost } from '../../src/host/index.js';
import { IptablesProxier, jumpRestoreText, renderFirstSync, splitTables, type ProxyConfig } from '../../src/proxy/index.js';
import {
  emitIpv4,
  formatIpv4,
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  parseIpv4,
  parseIpv4Packet,
  type Ipv4Packet,
} from '../../src/wire/index.js';
import { FAKE_CAPS, FAKE_CONFIG, FAKE_NODE } from './harness.js';

/** One row of an upstream packetFlowTest table. */
export interface Flow {
  readonly name: string;
  readonly sourceIP: string;
  readonly destIP: string;
  readonly destPort: number;
  readonly protocol?: 'TCP' | 'UDP';
  /** Endpoints (`ip:port, ...` as upstream sorts them), or `REJECT`, `DROP`, `ACCEPT`, or '' when no rule took the packet. */
  readonly output: string;
  readonly masq?: boolean;
}

/** Connections per flow: each picks its endpoint by statistic draws, so many show them all. */
const CONNECTIONS = 32;

/** The address of `out`, where MASQUERADE rewrites a source to (so masquerading shows). */
const OUT_ADDR = '169.254.100.1';
const NODE_IPS = new Set(['127.0.0.1', ...FAKE_NODE.addresses.map((a) => a.cidr.split('/')[0]!)]);

/**
 * A node as NewFakeProxier describes it, holding the payload kube-proxy renders for `objects`.
 * With `inputPolicy` DROP, a packet reaching the node itself shows only if a rule ACCEPTed it.
 */
export function fakeNode(objects: unknown[], config: ProxyConfig = FAKE_CONFIG, inputPolicy: 'ACCEPT' | 'DROP' = 'ACCEPT'): Node {
  const h = new SimHost();
  const root = h.at();
  root.linkSet('lo', { up: true });
  root.linkAdd({ kind: 'dummy', name: 'eth0' });
  for (const a of FAKE_NODE.addresses) if (a.iface === 'eth0') root.addrAdd('eth0', a.cidr);
  root.linkSet('eth0', { up: true });
  root.sysctlSet('net.ipv4.ip_forward', '1');
  // kube-proxy's own setting with localhost NodePorts: 127.0.0.1 may be routed out once DNATed.
  const caps = { ...FAKE_CAPS, nfacct: false };
  if (new IptablesProxier(FAKE_NODE, config, caps).localhostNodePorts) root.sysctlSet('net.ipv4.conf.all.route_localnet', '1');
  const node = new Node(h, inputPolicy === 'DROP');
  root.addrAdd('out', `${OUT_ADDR}/32`);
  // (With DROP, answers to the node's own connections still come in, as on any firewalled host.)
  const answers = inputPolicy === 'DROP' ? '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n' : '';
  root.iptablesRestore('filter', `*filter\n:INPUT ${inputPolicy} [0:0]\n${answers}COMMIT\n`, { noflush: true });
  // Replies go back to pods and outside clients through `in`; endpoints and the rest are beyond
  // `out`, reached from the node itself with its IP as source.
  for (const dst of ['10.0.0.0/8', '203.0.113.0/24']) root.routeAdd({ dst, dev: 'in' });
  for (const dst of ['10.180.0.0/16', '10.0.1.0/24', 'default']) root.routeAdd({ dst, dev: 'out', src: FAKE_NODE.nodeIP });
  for (const table of ['filter', 'nat'] as const) root.iptablesRestore(table, jumpRestoreText(table), { noflush: true });
  // Without the nfacct counters: the emulated iptables has no nfacct match (the counters only
  // split off a copy of each NodePort rule for 127.0.0.0/8, to count what it takes).
  const { payload } = renderFirstSync({ objects, config, node: FAKE_NODE, caps });
  for (const [table, text] of splitTables(payload)) root.iptablesRestore(table, text, { noflush: true });
  return node;
}

export class Node {
  /** What the node sent out of `in` and `out` for the connection being opened. */
  private readonly sent: Ipv4Packet[] = [];
  private readonly in;
  private sport = 40000;

  constructor(
    private readonly host: SimHost,
    private readonly inputDrops: boolean,
  ) {
    const root = host.at();
    this.in = root.tunOpen('in', (p) => this.sent.push(parseIpv4Packet(p)));
    root.tunOpen('out', (p) => this.sent.push(parseIpv4Packet(p)));
    for (const dev of ['in', 'out']) {
      root.sysctlSet(`net.ipv4.conf.${dev}.rp_filter`, '0');
      root.linkSet(dev, { up: true });
    }
    root.sysctlSet('net.ipv4.conf.all.rp_filter', '0');
  }

  private wait(ms: number): void {
    this.host.session.kernel.clock.advance(ms);
  }

  /** What became of CONNECTIONS new connections of the flow, in upstream's words. */
  run(flow: Flow): { output: string; masq: boolean } {
    const outputs = new Set<string>();
    const masq = new Set<boolean>();
    const src = parseIpv4(flow.sourceIP)!;
    const dst = parseIpv4(flow.destIP)!;
    const fromNode = NODE_IPS.has(flow.sourceIP);
    for (let i = 0; i < CONNECTIONS; i++) {
      // A second apart: the kernel lets one ICMP error a second through to a host, after a burst
      // of six (icmp_ratelimit), and REJECT's errors are ICMP errors.
      this.wait(1000);
      this.sent.length = 0;
      let refused = false;
      if (fromNode) {
        // A connect() from the node: its SYN goes through nat OUTPUT. It gives up before the SYN's
        // first retransmission, which would land among the next connection's packets.
        assert.equal(flow.protocol ?? 'TCP', 'TCP', `${flow.name}: the node dials TCP only`);
        this.host.dial!(undefined, flow.destIP, flow.destPort, { timeoutMs: 100 }, (r) => {
          refused = r.errno === 'ECONNREFUSED';
        });
        this.wait(200);
      } else this.in.write(emitIpv4(open(src, dst, this.sport++, flow.destPort, flow.protocol ?? 'TCP')));
      const back = this.sent.find(isAnswer);
      const fwd = this.sent.find((p) => !isAnswer(p));
      if (fwd) {
        const l4 = fwd.payload as { dstPort: number };
        const rewritten = fwd.dst !== dst || l4.dstPort !== flow.destPort;
        outputs.add(rewritten ? `${formatIpv4(fwd.dst)}:${l4.dstPort}` : '');
        masq.add(fwd.src !== src);
      } else if (back && back.protocol === IPPROTO_ICMP) outputs.add('REJECT');
      // Delivered to the node itself, where no one listens (a TCP reset, or a refused connect()):
      // no rule took it, or, past an INPUT policy of DROP, a rule accepted it.
      else if ((back && back.protocol === IPPROTO_TCP) || refused) outputs.add(this.inputDrops ? 'ACCEPT' : '');
      else if (!fwd && !back) outputs.add('DROP');
      else outputs.add(`unexpected: ${JSON.stringify({ fwd, back })}`);
    }
    assert.equal(masq.size <= 1, true, `${flow.name}: some connections masqueraded, some not`);
    return { output: [...outputs].sort(byEndpoint).join(', '), masq: masq.has(true) };
  }
}

/** An ICMP error or a TCP reset: the node answering, not forwarding. */
const isAnswer = (p: Ipv4Packet): boolean => p.protocol === IPPROTO_ICMP || (p.payload.kind === 'tcp' && (p.payload.flags & 0x04) !== 0);

const byEndpoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The first packet of a connection: a TCP SYN, or a UDP datagram. */
function open(src: number, dst: number, sport: number, dport: number, protocol: 'TCP' | 'UDP'): Ipv4Packet {
  const payload =
    protocol === 'TCP'
      ? {
          kind: 'tcp' as const,
          srcPort: sport,
          dstPort: dport,
          seq: 1,
          ack: 0,
          flags: 0x02,
          window: 64240,
          urgent: 0,
          options: new Uint8Array(0),
          payload: new Uint8Array(0),
        }
      : { kind: 'udp' as const, srcPort: sport, dstPort: dport, payload: { kind: 'raw' as const, bytes: new Uint8Array(4) } };
  return {
    kind: 'ipv4',
    tos: 0,
    id: sport,
    df: true,
    mf: false,
    fragOffset: 0,
    ttl: 64,
    protocol: protocol === 'TCP' ? IPPROTO_TCP : IPPROTO_UDP,
    src,
    dst,
    options: new Uint8Array(0),
    payload,
  } as Ipv4Packet;
}

/** runPacketFlowTests: every flow's output and masquerading as upstream expects them. */
export function runFlows(node: Node, flows: readonly Flow[]): void {
  const failures: string[] = [];
  for (const f of flows) {
    const got = node.run(f);
    if (got.output !== f.output || got.masq !== (f.masq ?? false))
      failures.push(
        `${f.name}: expected ${JSON.stringify(f.output)} masq ${f.masq ?? false}, got ${JSON.stringify(got.output)} masq ${got.masq}`,
      );
  }
  assert.deepEqual(failures, []);
}
