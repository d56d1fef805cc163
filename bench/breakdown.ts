// Where a bench's CPU goes, by component: V8's sampling profiler (node:inspector) runs around a
// step, and each sample is charged to the innermost frame of a known component (the kubelet,
// kindnet, kube-proxy, a controller, ...) on its stack, and within it to the innermost layer it
// was in (the API store, netfilter, the rest of the kernel, the host layer, the CNI plugins,
// YAML, GC). Sampling: figures are shares of the step's samples, good to a percent or two.
import { Session } from 'node:inspector';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Components, matched against a frame's script URL (and function name for the collector). */
const COMPONENTS: readonly (readonly [string, RegExp])[] = [
  ['kubectl', /\/src\/kubectl\//],
  ['kindnet', /\/src\/addons\/kindnet/],
  ['kube-proxy', /\/src\/addons\/kube-proxy|\/src\/proxy\//],
  ['coredns', /\/src\/addons\/coredns/],
  ['docker-dns', /\/src\/addons\/docker-dns|\/src\/kind\/network-magic/],
  ['kubelet', /\/src\/node\//],
  ['scheduler', /\/controllers\/scheduler/],
  ['replicaset', /\/controllers\/(replicaset|deployment)/],
  ['daemonset', /\/controllers\/daemonset/],
  ['endpoints', /\/controllers\/endpoints/],
  ['node-ctl', /\/controllers\/(nodeipam|nodelifecycle|taint-eviction)/],
  ['other-ctl', /\/controllers\/(?!cluster|queue|events)/],
  ['kind', /\/src\/kind\//],
];

const LAYERS: readonly (readonly [string, RegExp])[] = [
  ['events', /\/controllers\/events/],
  ['store', /\/src\/api\//],
  ['netfilter', /\/kernel\/netfilter\//],
  ['kernel', /\/src\/kernel\//],
  ['cni', /\/src\/cni\//],
  ['host', /\/src\/host\//],
  ['files', /\/src\/sim\/files/],
  ['yaml', /\/node_modules\/yaml\//],
];

export interface Breakdown {
  /** Microseconds sampled, by component then layer ('own': the component's own code, 'gc'). */
  readonly cells: Map<string, Map<string, number>>;
  readonly totalUs: number;
}

function post<T>(s: Session, method: string, params: object = {}): Promise<T> {
  return new Promise((resolve, reject) => s.post(method, params, (e, r) => (e ? reject(e) : resolve(r as T))));
}

/** Runs `step` under the sampling profiler and charges its samples to components and layers. */
export async function profileStep(step: () => Promise<void>): Promise<Breakdown> {
  const s = new Session();
  s.connect();
  await post(s, 'Profiler.enable');
  await post(s, 'Profiler.setSamplingInterval', { interval: 250 });
  await post(s, 'Profiler.start');
  let profile: Profile;
  try {
    await step();
  } finally {
    profile = (await post<{ profile: Profile }>(s, 'Profiler.stop')).profile;
    s.disconnect();
  }
  return attribute(profile);
}

function attribute(p: Profile): Breakdown {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const us = new Map<number, number>();
  let totalUs = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    us.set(id, (us.get(id) ?? 0) + dt);
    totalUs += dt;
  });
  const cells = new Map<string, Map<string, number>>();
  for (const [id, t] of us) {
    const leaf = byId.get(id)!.callFrame;
    if (leaf.functionName === '(idle)' || leaf.functionName === '(program)') continue;
    let component: string | undefined;
    let layer: string | undefined;
    for (let x: number | undefined = id; x !== undefined && component === undefined; x = parent.get(x)) {
      const url = byId.get(x)!.callFrame.url;
      layer ??= LAYERS.find(([, r]) => r.test(url))?.[0];
      component = COMPONENTS.find(([, r]) => r.test(url))?.[0];
    }
    const c = component ?? 'other';
    const l = leaf.functionName === '(garbage collector)' ? 'gc' : (layer ?? 'own');
    let row = cells.get(c);
    if (!row) cells.set(c, (row = new Map()));
    row.set(l, (row.get(l) ?? 0) + t);
  }
  return { cells, totalUs };
}

/** The breakdown as a table of milliseconds per `unit` (a node created, a pod run): `count` units took `cpuMs`. */
export function breakdownTable(b: Breakdown, cpuMs: number, count: number, unit: string): string {
  const layers = ['own', 'store', 'events', 'netfilter', 'kernel', 'host', 'cni', 'files', 'yaml', 'gc'];
  let sampled = 0;
  for (const row of b.cells.values()) for (const t of row.values()) sampled += t;
  const scale = cpuMs / count / (sampled || 1); // the samples' share of the step's CPU, per unit
  const rows = [...b.cells].map(([c, row]) => [c, row, [...row.values()].reduce((a, t) => a + t, 0)] as const).sort((a, b) => b[2] - a[2]);
  const fmt = (us: number) => (us * scale).toFixed(unit === 'pod' ? 3 : 2).padStart(10);
  const lines = [`ms per ${unit}`.padEnd(12) + 'total'.padStart(10) + layers.map((l) => l.padStart(10)).join('')];
  for (const [c, row, total] of rows) lines.push(c.padEnd(12) + fmt(total) + layers.map((l) => fmt(row.get(l) ?? 0)).join(''));
  return lines.join('\n');
}
