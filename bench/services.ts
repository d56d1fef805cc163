// kube-proxy-shaped NAT lookups: new TCP connections to random service VIPs through
// KUBE-SERVICES → KUBE-SVC-* → KUBE-SEP-* DNAT, with 100, 10,000 and 100,000 services.
// First-match semantics stay exact; the destination index should keep the rate roughly flat.
import { Host, Kernel, iptablesOf, netfilterOf, type Skb } from '../src/kernel/index.js';
import { formatIpv4, IPPROTO_TCP, TCP_SYN, type Ipv4Packet } from '../src/wire/index.js';

const VIP_BASE = 0x0a600000; // 10.96.0.0
const POD_BASE = 0x0af40000; // 10.244.0.0

/** A kube-proxy iptables-restore payload for `n` services with one endpoint each. */
export function kubeProxyPayload(n: number): string {
  const lines = [
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    ':KUBE-SERVICES - [0:0]',
    ':KUBE-MARK-MASQ - [0:0]',
    ':KUBE-POSTROUTING - [0:0]',
  ];
  const rules: string[] = [];
  for (let i = 0; i < n; i++) {
    const svc = `KUBE-SVC-${String(i).padStart(16, '0')}`;
    const sep = `KUBE-SEP-${String(i).padStart(16, '0')}`;
    lines.push(`:${svc} - [0:0]`, `:${sep} - [0:0]`);
    const vip = formatIpv4((VIP_BASE + i) >>> 0);
    const pod = formatIpv4((POD_BASE + i) >>> 0);
    rules.push(
      `-A KUBE-SERVICES -d ${vip}/32 -p tcp -m comment --comment "default/svc-${i}:http cluster IP" -m tcp --dport 80 -j ${svc}`,
      `-A ${svc} ! -s 10.244.0.0/16 -d ${vip}/32 -p tcp -m comment --comment "default/svc-${i}:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`,
      `-A ${svc} -m comment --comment "default/svc-${i}:http -> ${pod}:8080" -j ${sep}`,
      `-A ${sep} -s ${pod}/32 -m comment --comment "default/svc-${i}:http" -j KUBE-MARK-MASQ`,
      `-A ${sep} -p tcp -m comment --comment "default/svc-${i}:http" -m tcp -j DNAT --to-destination ${pod}:8080`,
    );
  }
  rules.unshift(
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
    '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
    '-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0',
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
  );
  return [...lines, ...rules, 'COMMIT', ''].join('\n');
}

function rate(n: number, lookups: number): { perSecond: number; restoreMs: number; rulesPerLookup: number } {
  const kernel = new Kernel({ seed: 'svc', capture: false });
  const ns = new Host(kernel, 'node').root;
  const t0 = process.hrtime.bigint();
  iptablesOf(ns).restore(kubeProxyPayload(n));
  const restoreMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const rt = netfilterOf(ns);
  const rng = kernel.rng;
  let dnat = 0;
  // Count the rules each lookup hits (their counters are bumped), to show the work per lookup.
  const state = iptablesOf(ns);
  const counters = state.counters.bind(state);
  let hits = 0;
  state.counters = (rule) => (hits++, counters(rule));
  // One connection per service first: each rule's matcher is compiled on first use, a one-off cost.
  for (let svc = 0; svc < n; svc++) lookup(svc, svc);
  dnat = 0;
  hits = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < lookups; i++) lookup(rng.int(0, n), i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (dnat !== lookups) throw new Error(`expected ${lookups} DNATs, got ${dnat}`);
  return { perSecond: lookups / seconds, restoreMs, rulesPerLookup: hits / lookups };

  function lookup(svc: number, i: number): void {
    const p: Ipv4Packet = {
      kind: 'ipv4',
      tos: 0,
      id: 0,
      df: true,
      mf: false,
      fragOffset: 0,
      ttl: 64,
      protocol: IPPROTO_TCP,
      src: 0x0a000001,
      dst: (VIP_BASE + svc) >>> 0,
      options: new Uint8Array(0),
      payload: {
        kind: 'tcp',
        srcPort: 1024 + (i % 60000),
        dstPort: 80,
        seq: i,
        ack: 0,
        flags: TCP_SYN,
        window: 64240,
        urgent: 0,
        options: new Uint8Array(0),
        payload: new Uint8Array(0),
      },
    };
    const out = rt.run('OUTPUT', { data: p, walk: undefined, mark: 0 } as Skb<Ipv4Packet>, undefined, undefined);
    if (out && out.data.dst === (POD_BASE + svc) >>> 0) dnat++;
  }
}

/**
 * The work per lookup is constant (the rules matched per lookup are printed); what falls with
 * the table size is memory locality — each rule is ~1.5 KB of JavaScript heap, and a lookup
 * touches a few dozen objects that no cache holds once there are 500,000 rules.
 */
export function servicesBench(): void {
  rate(100, 5_000); // warm up the JIT
  console.log('services: new connections through KUBE-SERVICES -> KUBE-SVC -> KUBE-SEP DNAT (nat OUTPUT)');
  const base = rate(100, 50_000);
  for (const [n, r] of [
    [100, base],
    [10_000, rate(10_000, 50_000)],
    [100_000, rate(100_000, 50_000)],
  ] as const) {
    console.log(
      `  ${n.toLocaleString('en-US').padStart(7)} services: ${Math.round(r.perSecond).toLocaleString('en-US').padStart(9)} lookups/s  (ratio to 100: ${(r.perSecond / base.perSecond).toFixed(2)}; ${r.rulesPerLookup.toFixed(1)} rules matched per lookup; iptables-restore ${Math.round(r.restoreMs)} ms)`,
    );
  }
}
