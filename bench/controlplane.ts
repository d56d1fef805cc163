// The control plane at Kubernetes' scale envelope: objects per second through create → admission →
// controllers, and heap per object. (1) 10,000 Services × 3 ready endpoints each → EndpointSlices;
// (2) 150,000 pods (1,500 Deployments × 100) scheduled onto 5,000 Ready nodes, no node agents.
// Figures only (no pass/fail); the whole envelope's time and memory are printed beside issue 12's
// target (< 20 s, < 2 GiB). `--scale 0.1` runs a tenth of each.
import type { KubeObject } from '../src/api/index.js';
import { Cluster } from '../src/controllers/index.js';
import { EventQueue } from '../src/sim/index.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What one part of the envelope took: objects written through the controllers, time, heap kept. */
interface Part {
  objects: number;
  ms: number;
  heapMiB: number;
}

const TARGET_S = 20;
const TARGET_GIB = 2;

const heapMiB = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

/** Uses the cluster after the heap is measured, so the collector cannot free it before. */
const kept: Cluster[] = [];
const keepAlive = (c: Cluster) => void kept.push(c);

function readyNodes(c: Cluster, n: number): void {
  for (let i = 0; i < n; i++) {
    const name = `node-${i}`;
    c.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
    const node = c.store.get('nodes', undefined, name);
    c.store.updateStatus({
      ...node,
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }] },
    } as unknown as KubeObject);
  }
  c.settle();
}

function servicesBench(scale: number): Part {
  const services = Math.round(10_000 * scale);
  const clock = new EventQueue();
  const c = new Cluster({ name: 'bench', clock, serviceSubnet: '10.96.0.0/12' });
  readyNodes(c, 100);
  const before = heapMiB();
  const t0 = performance.now();
  let ip = 0;
  for (let i = 0; i < services; i++) {
    for (let k = 0; k < 3; k++) {
      const pod = c.store.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `svc-${i}-${k}`, labels: { app: `svc-${i}` } },
        spec: { nodeName: `node-${(i * 3 + k) % 100}`, containers: [{ name: 'c', image: 'nginx' }] },
      }) as Obj;
      ip++;
      c.store.updateStatus({
        ...pod,
        status: {
          ...pod.status,
          phase: 'Running',
          podIP: `10.${16 + (ip >> 16)}.${(ip >> 8) & 255}.${ip & 255}`,
          conditions: [{ type: 'Ready', status: 'True' }],
        },
      } as unknown as KubeObject);
    }
    c.store.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `svc-${i}` },
      spec: { selector: { app: `svc-${i}` }, ports: [{ port: 80, targetPort: 8080 }] },
    });
  }
  c.settle();
  const ms = performance.now() - t0;
  const slices = c.store.list('endpointslices', 'default').items.filter((s) => ((s as Obj).endpoints ?? []).length === 3).length;
  const objects = services * 4 + slices * 2; // pods + Services + EndpointSlices + Endpoints
  const heap = heapMiB() - before;
  keepAlive(c);
  console.log(
    `control plane: ${services} Services × 3 endpoints → ${slices} EndpointSlices with 3 endpoints in ${(ms / 1000).toFixed(1)} s (${Math.round((objects / ms) * 1000)} objects/s), heap ${heap.toFixed(0)} MiB (${((heap * 1024) / services).toFixed(1)} KiB per Service with its 3 pods, slice and Endpoints)`,
  );
  return { objects, ms, heapMiB: heap };
}

function podsBench(scale: number): Part {
  const nodes = Math.round(5_000 * scale);
  const deployments = Math.round(1_500 * scale);
  const clock = new EventQueue();
  const c = new Cluster({ name: 'bench', clock, podSubnet: '10.0.0.0/8' });
  const tn = performance.now();
  readyNodes(c, nodes);
  const nodeMs = performance.now() - tn;
  const before = heapMiB();
  const t0 = performance.now();
  for (let i = 0; i < deployments; i++) {
    c.store.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `d-${i}` },
      spec: {
        replicas: 100,
        selector: { matchLabels: { app: `d-${i}` } },
        template: { metadata: { labels: { app: `d-${i}` } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
      },
    });
    if (i % 50 === 49) c.settle();
  }
  c.settle();
  const ms = performance.now() - t0;
  let pods = 0;
  let scheduled = 0;
  for (const p of c.store.objects('pods')) {
    pods++;
    if ((p.spec as Obj).nodeName) scheduled++;
  }
  const heap = heapMiB() - before;
  keepAlive(c);
  console.log(
    `control plane: ${nodes} nodes registered in ${(nodeMs / 1000).toFixed(1)} s; ${pods} pods of ${deployments} Deployments, ${scheduled} scheduled, in ${(ms / 1000).toFixed(1)} s (${Math.round((pods / ms) * 1000)} pods/s), heap ${heap.toFixed(0)} MiB (${((heap * 1024) / pods).toFixed(2)} KiB per pod, its events included)`,
  );
  // Nodes, Deployments, ReplicaSets and pods (the heap is measured after the nodes registered).
  return { objects: nodes + 2 * deployments + pods, ms: nodeMs + ms, heapMiB: heap };
}

export function controlPlaneBench(scale = 1): void {
  const parts = [servicesBench(scale), podsBench(scale)];
  const objects = parts.reduce((n, p) => n + p.objects, 0);
  const s = parts.reduce((n, p) => n + p.ms, 0) / 1000;
  const heapGiB = parts.reduce((n, p) => n + p.heapMiB, 0) / 1024;
  // maxRSS is in KiB: the process's peak, both parts' clusters and the harness included.
  const rssGiB = process.resourceUsage().maxRSS / 2 ** 20;
  const of = scale === 1 ? 'the whole envelope' : `${scale} of the envelope (the target is for all of it)`;
  console.log(
    `control plane, ${of}: ${objects} objects in ${s.toFixed(1)} s (${Math.round(objects / s)} objects/s; target < ${TARGET_S} s), heap ${heapGiB.toFixed(2)} GiB, peak RSS ${rssGiB.toFixed(2)} GiB (target < ${TARGET_GIB} GiB)`,
  );
}

if (process.argv[1]?.endsWith('controlplane.js')) {
  const i = process.argv.indexOf('--scale');
  controlPlaneBench(i > 0 ? Number(process.argv[i + 1]) : 1);
}
