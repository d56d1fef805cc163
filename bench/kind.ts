// kind clusters with their data plane, created in-process through the commands a user types
// (`kind create cluster`, `kubectl apply`): nodes with kubelets and kindnet, pods with their pause
// sandboxes, veths and host-local addresses. (1) seed 004's cluster (1 control plane + 3 workers,
// podSubnet 10.10.0.0/16) with 2 Deployments × 3 pods — target < 100 ms; (2) N nodes × 30 pods
// (N Deployments of 30, spread by the scheduler) — target ≤ 0.4 ms per pod end to end, node
// creation included. Figures only (no pass/fail). `node dist/bench/kind.js --nodes 1000` runs the
// issue's 1,000 nodes; `npm run bench` a tenth of them.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { standardLab, type Lab } from '../src/lab/index.js';
import { breakdownTable, profileStep, type Breakdown } from './breakdown.js';

const SEED_004 = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
- role: worker
- role: worker
- role: worker
networking:
  podSubnet: 10.10.0.0/16
`;

const SMALL_TARGET_MS = 100;
const PER_POD_TARGET_MS = 0.4;

/** `count` Deployments of `replicas` pods each; they tolerate the control plane's taint, so every node takes its share. */
function deployments(count: number, replicas: number): string {
  return Array.from(
    { length: count },
    (_, i) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web${i}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web${i}
  template:
    metadata:
      labels:
        app: web${i}
    spec:
      tolerations:
      - operator: Exists
      containers:
      - name: web
        image: nginx
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

function runningPods(lab: Lab): number {
  return lab.kind
    .get('kind')!
    .cluster.store.list('pods', 'default')
    .items.filter((p) => (p.status as { phase?: string }).phase === 'Running').length;
}

/** The heap in use after a full collection (what the objects alive keep), in bytes. */
function liveHeap(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

/**
 * Counts the cluster's API writes from now on (a watch of every resource: one event per write), by
 * resource and type, and its Events by reason: what a pod costs the API server, to compare with a
 * real cluster's create, bind, status and Scheduled/Pulled/Created/Started.
 */
function countWrites(lab: Lab): { counts: Map<string, number>; stop: () => void } {
  const store = lab.kind.get('kind')!.cluster.store;
  const counts = new Map<string, number>();
  const add = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
  let on = false; // a watch begins with the objects that exist: not writes
  const watchable = store.resources().filter((r) => r.verbs.includes('watch')); // not ComponentStatus
  const stops = watchable.map((r) =>
    store.watch(r.resource, undefined, {}, (e) => {
      if (!on) return;
      add(`${r.resource} ${e.type}`);
      if (r.resource === 'events') add(`event ${(e.object as { reason?: string }).reason}`);
    }),
  );
  on = true;
  return { counts, stop: () => stops.forEach((s) => s()) };
}

/** Milliseconds of CPU this process has used (user and system): steadier than wall time on a loaded machine. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface ClusterFigures {
  createMs: number;
  applyMs: number;
  createCpuMs: number;
  applyCpuMs: number;
  /** With `retained`: bytes the heap kept for the apply (full collections before and after). */
  applyRetained?: number;
  /** With `retained`: the API writes of the apply by resource and type, and its events by reason. */
  applyWrites?: Map<string, number>;
  /** With `profile`: where the CPU of each step went. */
  createBreakdown?: Breakdown;
  applyBreakdown?: Breakdown;
}

/** One cluster from nothing: create, apply; returns the milliseconds of each, wall and CPU (and, with `profile`, their breakdowns: the profiler slows them). */
async function cluster(config: string, workload: string, pods: number, profile = false, retained = false): Promise<ClusterFigures> {
  const lab = standardLab();
  await lab.loadKind(); // kind's modules load on first use: not part of creating a cluster
  const files = { 'kind.yaml': config, 'deploy.yaml': workload };
  const step = async (argv: string[]) => {
    const [t0, c0] = [performance.now(), cpuMs()];
    let b: Breakdown | undefined;
    if (profile) b = await profileStep(() => run(lab, files, argv));
    else await run(lab, files, argv);
    return { ms: performance.now() - t0, cpu: cpuMs() - c0, b };
  };
  const create = await step(['kind', 'create', 'cluster', '--config', 'kind.yaml']);
  const writes = retained ? countWrites(lab) : undefined;
  const heap0 = retained ? liveHeap() : 0;
  const apply = await step(['kubectl', 'apply', '-f', 'deploy.yaml']);
  const heap1 = retained ? liveHeap() : 0;
  writes?.stop();
  const running = runningPods(lab);
  if (running !== pods) throw new Error(`${running} of ${pods} pods Running`);
  return {
    createMs: create.ms,
    applyMs: apply.ms,
    createCpuMs: create.cpu,
    applyCpuMs: apply.cpu,
    ...(writes ? { applyRetained: heap1 - heap0, applyWrites: writes.counts } : {}),
    ...(create.b ? { createBreakdown: create.b } : {}),
    ...(apply.b ? { applyBreakdown: apply.b } : {}),
  };
}

/** N nodes × 30 pods; the pod subnet holds N /24 node ranges. */
function manyNodes(nodes: number): { config: string; workload: string; pods: number } {
  const workers = Array.from({ length: nodes - 1 }, () => '- role: worker\n').join('');
  const config = `kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n${workers}networking:\n  podSubnet: 10.0.0.0/${Math.min(16, 24 - Math.ceil(Math.log2(nodes)))}\n`;
  return { config, workload: deployments(nodes, 30), pods: nodes * 30 };
}

/**
 * Where the CPU of N nodes × 30 pods goes, by component and layer, per node created and per pod
 * run (`node dist/bench/kind.js --nodes N --breakdown`). The profiler's overhead is in the CPU
 * figures it scales by; compare shares and runs of one build against another, not with the plain bench.
 */
export async function kindBreakdown(nodes: number): Promise<void> {
  const { config, workload, pods } = manyNodes(nodes);
  const f = await cluster(config, workload, pods, true);
  console.log(
    `kind breakdown, ${nodes} nodes × 30 pods (profiled: CPU ${(f.createCpuMs / nodes).toFixed(1)} ms per node created, ${(f.applyCpuMs / pods).toFixed(3)} ms per pod once nodes exist)`,
  );
  console.log(breakdownTable(f.createBreakdown!, f.createCpuMs, nodes, 'node'));
  console.log(breakdownTable(f.applyBreakdown!, f.applyCpuMs, pods, 'pod'));
}

export async function kindBench(nodes = 1000): Promise<void> {
  // (1) seed 004: the first runs warm the JIT up; the median of the rest is the figure
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const { createMs, applyMs } = await cluster(SEED_004, deployments(2, 3), 6);
    if (i >= 2) times.push(createMs + applyMs);
  }
  times.sort((a, b) => a - b);
  console.log(
    `kind: seed 004's cluster (4 nodes) + 2 Deployments × 3 pods, in process: median ${times[times.length >> 1]!.toFixed(0)} ms, best ${times[0]!.toFixed(0)} ms (target < ${SMALL_TARGET_MS} ms)`,
  );
  // (2) N nodes × 30 pods
  const { config, workload, pods } = manyNodes(nodes);
  const { createMs, applyMs, createCpuMs, applyCpuMs, applyRetained, applyWrites } = await cluster(config, workload, pods, false, true);
  const perPod = (createMs + applyMs) / pods;
  console.log(
    `kind: ${nodes} nodes created in ${(createMs / 1000).toFixed(1)} s (${(createMs / nodes).toFixed(1)} ms per node); ${pods} pods Running in ${(applyMs / 1000).toFixed(1)} s (${(applyMs / pods).toFixed(2)} ms per pod); end to end ${perPod.toFixed(2)} ms per pod (target ≤ ${PER_POD_TARGET_MS} ms); CPU ${((createCpuMs + applyCpuMs) / pods).toFixed(2)} ms per pod (${(createCpuMs / nodes).toFixed(1)} ms per node created, ${(applyCpuMs / pods).toFixed(2)} ms per pod once nodes exist); heap kept ${(applyRetained! / pods / 1024).toFixed(1)} KB per pod`,
  );
  const per = (k: string) => (applyWrites!.get(k) ?? 0) / pods;
  const shown = [...applyWrites!.keys()].filter((k) => per(k) >= 0.05).sort();
  console.log(
    `kind: per pod, API writes ${shown
      .filter((k) => !k.startsWith('event '))
      .map((k) => `${k} ${per(k).toFixed(2)}`)
      .join(', ')}; events by reason ${shown
      .filter((k) => k.startsWith('event '))
      .map((k) => `${k.slice(6)} ${per(k).toFixed(2)}`)
      .join(', ')}`,
  );
}

/**
 * What creating N nodes costs, alone (`node dist/bench/kind.js --nodes N --nodes-only`): wall and CPU
 * per node, and the heap the cluster keeps per node (full collections before and after).
 */
export async function kindNodesBench(nodes: number): Promise<void> {
  const { config } = manyNodes(nodes);
  const lab = standardLab();
  await lab.loadKind();
  const heap0 = liveHeap();
  const [t0, c0] = [performance.now(), cpuMs()];
  await run(lab, { 'kind.yaml': config }, ['kind', 'create', 'cluster', '--config', 'kind.yaml']);
  const [ms, cpu] = [performance.now() - t0, cpuMs() - c0];
  const heap = liveHeap() - heap0;
  console.log(
    `kind: ${nodes} nodes created in ${(ms / 1000).toFixed(1)} s: ${(ms / nodes).toFixed(2)} ms per node (CPU ${(cpu / nodes).toFixed(2)} ms), heap kept ${(heap / nodes / 1024).toFixed(0)} KB per node`,
  );
}

/** `count` selector-less Services with an EndpointSlice of 3 endpoints each (pods need not exist for kube-proxy). */
function servicesWithSlices(count: number, gen = 0): string {
  const ip = (base: number, i: number) => `${base >>> 24}.${(base >>> 16) & 255}.${((base >>> 8) & 255) + (i >> 8)}.${i & 255}`;
  return Array.from(
    { length: count },
    (_, i) => `apiVersion: v1
kind: Service
metadata:
  name: svc${i}
spec:
  ports:
  - name: http
    port: 80
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: svc${i}-abc
  labels:
    kubernetes.io/service-name: svc${i}
addressType: IPv4
ports:
- name: http
  port: 8080
  protocol: TCP
endpoints:
${[0, 1, 2].map((e) => `- addresses: ["${ip(0x0a000000 + (e << 16) + (gen << 20), i)}"]\n  nodeName: kind-worker${e === 0 ? '' : e + 1}`).join('\n')}
`,
  ).join('---\n');
}

/**
 * kube-proxy on the nodes of a kind cluster (1 control plane + 3 workers) with S Services × 3
 * endpoints: the first sync on every node once the objects are applied (full: every chain), then a
 * change of one Service's endpoints (a partial sync on every node: that Service's chains and the
 * top-level ones), on the lab's manual clock, with the rules each node holds. Wall time, kubectl
 * apply included. `node dist/bench/kind.js --kube-proxy` adds 10,000 services.
 */
export async function kubeProxyKindBench(sizes: readonly number[] = [100, 1000]): Promise<void> {
  const config =
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n- role: worker\n- role: worker\n';
  for (const s of sizes) {
    const lab = standardLab();
    const files = { 'kind.yaml': config, 'svc.yaml': servicesWithSlices(s) };
    await run(lab, files, ['kind', 'create', 'cluster', '--config', 'kind.yaml']);
    lab.advance(2000);
    let t0 = performance.now();
    await run(lab, files, ['kubectl', 'apply', '-f', 'svc.yaml']);
    const applyMs = performance.now() - t0;
    t0 = performance.now();
    lab.advance(2000); // the syncs the rate limit held back
    const settleMs = performance.now() - t0;
    // one Service's endpoints change, five times over (the median: the first ones pay for GC and the JIT)
    const changes: number[] = [];
    for (let k = 1; k <= 5; k++) {
      const one = servicesWithSlices(s)
        .split('---\n')
        .slice(2 * (s >> 1), 2 * (s >> 1) + 2)
        .join('---\n')
        .replace(/"10\.1\./, `"10.${8 + k}.`);
      t0 = performance.now();
      await run(lab, { 'one.yaml': one }, ['kubectl', 'apply', '-f', 'one.yaml']);
      lab.advance(2000); // the syncs run at once when the rate limit has a token, else here
      changes.push(performance.now() - t0);
    }
    changes.sort((a, b) => a - b);
    const partialMs = changes[2]!;
    const nat = lab.host('kind-worker').exec(['iptables-save', '-t', 'nat']).stdout;
    const rules = nat.split('\n').filter((l) => l.startsWith('-A ')).length;
    if (!nat.includes('10.13.')) throw new Error('the changed endpoint did not reach kind-worker');
    console.log(
      `kube-proxy on 4 kind nodes, ${s.toLocaleString('en-US')} services × 3 endpoints (${rules.toLocaleString('en-US')} nat rules per node): kubectl apply and the syncs ${(applyMs + settleMs).toFixed(0)} ms; one endpoint change (kubectl apply + the partial sync on every node) median ${partialMs.toFixed(1)} ms, ${(partialMs / 4).toFixed(2)} ms per node`,
    );
  }
}

if (process.argv[1]?.endsWith('kind.js') && !process.argv.includes('--kube-proxy')) {
  const i = process.argv.indexOf('--nodes');
  const nodes = i > 0 ? Number(process.argv[i + 1]) : 1000;
  if (process.argv.includes('--breakdown')) await kindBreakdown(nodes);
  else if (process.argv.includes('--nodes-only')) await kindNodesBench(nodes);
  else await kindBench(nodes);
}

if (process.argv[1]?.endsWith('kind.js') && process.argv.includes('--kube-proxy')) {
  await kubeProxyKindBench([100, 1000, 10_000]);
}
