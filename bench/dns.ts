// Cluster DNS throughput: a netshoot pod asks CoreDNS for Service names through kube-dns's
// ClusterIP (the pod's query is DNATed by kube-proxy's rules on its node to one of the two CoreDNS
// pods, answered there, and un-NATed on the way back), with 100 and 10,000 Services in the
// cluster. Figures are wall-clock queries per second of the whole emulated path (no pass/fail).
// `node dist/bench/dns.js` runs it alone.
import { udpExchange } from '../src/apps/dns/index.js';
import { kindConfig } from '../src/lab/fixtures.js';
import { standardLab, type Lab } from '../src/lab/index.js';
import type { DnsMessage } from '../src/wire/index.js';

const KIND = kindConfig(1);

const NETPOD = `apiVersion: v1
kind: Pod
metadata:
  name: netpod
spec:
  containers:
  - name: netshoot
    image: nicolaka/netshoot
    command: ["sleep", "infinity"]
`;

function services(n: number): string {
  return Array.from(
    { length: n },
    (_, i) => `apiVersion: v1
kind: Service
metadata:
  name: svc${i}
spec:
  ports:
  - name: http
    port: 80
`,
  ).join('---\n');
}

async function run(lab: Lab, files: Record<string, string>, argv: string[]): Promise<void> {
  let err = '';
  const r = await lab.run(argv, {
    stdout() {},
    stderr: (t) => void (err += t),
    readFile: (p) => (p in files ? new TextEncoder().encode(files[p]) : undefined),
    writeFile() {},
    signal: new AbortController().signal,
  });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: status ${r.status}: ${err}`);
}

export async function dnsBench(sizes: readonly number[] = [100, 10_000], queries = 5000): Promise<void> {
  for (const n of sizes) {
    const lab = standardLab();
    await run(lab, { 'kind.yaml': KIND }, ['kind', 'create', 'cluster', '--config', 'kind.yaml']);
    lab.advance(2000);
    let t0 = performance.now();
    await run(lab, { 's.yaml': services(n), 'p.yaml': NETPOD }, ['kubectl', 'apply', '-f', 's.yaml', '-f', 'p.yaml']);
    lab.advance(5000);
    const setupMs = performance.now() - t0;
    const pod = lab.kind.get('kind')!.cluster.store.get('pods', 'default', 'netpod');
    const node = lab.kind.node((pod.spec as { nodeName: string }).nodeName)!;
    const c = node.kubelet!.container('default', 'netpod', 'netshoot')!;
    const ns = node.host.session.host.netns(c.netns!)!;
    let answered = 0;
    let id = 1;
    const ask = (k: number) => {
      const q: DnsMessage = {
        id: id++ & 0xffff,
        qr: false,
        rd: true,
        rcode: 'NOERROR',
        questions: [{ name: `svc${k % n}.default.svc.cluster.local`, type: 'A' }],
        answers: [],
        authorities: [],
        additionals: [],
      };
      const x = udpExchange(ns, '10.96.0.10', 53, q, 5000);
      if (x.reply?.answers.length === 1) answered++;
    };
    for (let k = 0; k < 200; k++) ask(k * 7919); // warm up the JIT
    answered = 0;
    const v0 = lab.clock.now();
    t0 = performance.now();
    for (let k = 0; k < queries; k++) ask(k * 7919);
    const ms = performance.now() - t0;
    const virtualMs = lab.clock.now() - v0;
    if (answered !== queries) throw new Error(`${answered} of ${queries} queries answered`);
    console.log(
      `DNS through kube-proxy to CoreDNS, ${n.toLocaleString('en-US')} Services: ${Math.round((queries * 1000) / ms).toLocaleString('en-US')} queries/s (${((ms * 1000) / queries).toFixed(0)} µs each, ${queries} A queries from a pod to 10.96.0.10, all answered, ${virtualMs.toFixed(1)} ms of virtual time); cluster setup with the Services ${(setupMs / 1000).toFixed(1)} s`,
    );
  }
}

if (process.argv[1]?.endsWith('dns.js')) await dnsBench();
