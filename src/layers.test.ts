// Layers are enforced, not hoped for (STYLE 10): every top-level folder imports only what
// DESIGN.md's allowed-imports table lets it, only through the other folder's index.ts, without
// value-import cycles; nothing Node-only below the front ends, no real time or Math.random outside
// sim/ (STYLE 8). tsconfig.core.json has the compiler check the runtime-neutral core without Node's
// types.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');

/** Everything runtime-neutral below the front ends (what `lab/` may compose). */
const CORE = [
  'sim',
  'wire',
  'transcript',
  'kernel',
  'apps',
  'shell',
  'host',
  'api',
  'controllers',
  'node',
  'cni',
  'proxy',
  'addons',
  'kubectl',
  'kind',
  'docker',
];
const AGENT = ['api', 'host', 'wire', 'sim'];

/**
 * DESIGN.md's "Allowed imports" table: the folders each top-level folder of src/ may import.
 * '*' is "anything" (front ends). A new folder is declared here and in DESIGN.md's table.
 */
export const ALLOWED: Readonly<Record<string, readonly string[] | '*'>> = {
  sim: [],
  wire: ['sim'],
  transcript: [], // plain text handling (ip -batch lines, here-documents, getopt's command-line reading)
  kernel: ['wire', 'sim', 'transcript'], // transcript: getopt, for the iptables command line the netfilter rulespec reads
  apps: ['kernel', 'wire', 'sim', 'transcript'],
  shell: ['apps', 'kernel', 'wire', 'sim', 'transcript'],
  host: ['kernel', 'apps', 'shell', 'wire', 'sim', 'transcript'], // the sim backend
  reallab: ['host', 'wire', 'sim', 'transcript'], // the linux backend (Node-only)
  api: ['sim', 'wire'],
  controllers: ['api', 'sim', 'wire'], // wire: addresses only (node IPAM's CIDRs)
  // node agents touch a node only through host/'s HostNetwork, never kernel/, apps/ or shell/
  node: [...AGENT, 'cni'], // the kubelet's CRI runs the CNI runtime, as containerd does
  cni: AGENT,
  proxy: AGENT,
  addons: [...AGENT, 'proxy'], // kube-proxy's node agent applies what proxy/ renders
  // runtime-neutral front-end modules (the emulated kubectl and kind)
  kubectl: ['api', 'controllers', 'sim', 'wire', 'host', 'proxy', 'transcript'],
  kind: ['api', 'controllers', 'sim', 'wire', 'host', 'proxy', 'transcript', 'node', 'addons'], // kind composes each node's kubelet and kindnetd
  // the lab's docker daemon and the shell inside its containers (just-bash); kind's nodes are its containers
  docker: ['kind', 'node', 'shell', 'sim', 'wire', 'transcript'],
  lab: CORE, // holds hosts and clusters
  server: '*',
  cli: '*',
  fuzz: '*',
};

/** Folders that may use Node's modules; tsconfig.core.json leaves exactly these out. */
export const NODE_ALLOWED = ['cli', 'server', 'fuzz', 'reallab'];
/** Folders reached by path, not through an index.ts (tool collections and plain text helpers). */
const NO_INDEX = ['apps', 'shell', 'cli', 'server', 'transcript'];

export interface Source {
  /** Path relative to src/, with '/' separators. */
  rel: string;
  text: string;
}

const topOf = (rel: string) => rel.split('/')[0]!;
const resolveSpec = (rel: string, spec: string) => posix.normalize(posix.join(posix.dirname(rel), spec));
const relImports = (text: string) => [...text.matchAll(/from '(\.[^']*)'/g)].map((m) => m[1]!);

/** Imports that survive compilation: not `import type`, not a list of `type` names only. */
function valueImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?((?:(?!\b(?:import|export)\s)[^;])*?)\s*from\s+'(\.[^']*)'/gms)) {
    if (m[1]) continue;
    const braces = /^\{([^}]*)\}$/.exec(m[2]!.trim());
    if (
      braces &&
      braces[1]!
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .every((s) => s.startsWith('type '))
    )
      continue;
    out.push(m[3]!);
  }
  return out;
}

/** Every violation of the allowed-imports table and of the index.ts rule, as readable lines. */
export function layerViolations(sources: readonly Source[]): string[] {
  const bad: string[] = [];
  const unknown = new Set<string>();
  for (const s of sources) {
    const mine = topOf(s.rel);
    if (!s.rel.includes('/')) continue; // src/*.ts: the test files at the root
    const allowed = ALLOWED[mine];
    if (!allowed) {
      unknown.add(mine);
      continue;
    }
    for (const spec of relImports(s.text)) {
      const target = resolveSpec(s.rel, spec);
      const top = topOf(target);
      if (top === mine) continue;
      if (allowed !== '*' && !allowed.includes(top))
        bad.push(`${s.rel} imports ${spec}: ${mine}/ may import ${allowed.join(', ') || 'nothing'} (DESIGN.md, Allowed imports)`);
      else if (!NO_INDEX.includes(top) && !target.endsWith('/index.js'))
        bad.push(`${s.rel} imports ${spec}: reach ${top}/ through its index.ts`);
    }
  }
  for (const f of unknown)
    bad.push(`src/${f}/ is not a declared layer: add it to ALLOWED in src/layers.test.ts and to DESIGN.md's Allowed imports table`);
  return bad;
}

/** Value-import cycles between modules (Tarjan's strongly connected components), each as its file list. */
export function valueCycles(sources: readonly Source[]): string[][] {
  const known = new Set(sources.map((s) => s.rel.replace(/\.ts$/, '.js')));
  const edges = new Map<string, string[]>();
  for (const s of sources)
    edges.set(
      s.rel.replace(/\.ts$/, '.js'),
      valueImports(s.text)
        .map((spec) => resolveSpec(s.rel, spec))
        .filter((t) => known.has(t)),
    );
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || edges.get(v)!.includes(v)) cycles.push(scc.sort());
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

const sources: Source[] = files(SRC).map((path) => ({ rel: relative(SRC, path).split('\\').join('/'), text: readFileSync(path, 'utf8') }));

test('every folder imports only what the allowed-imports table lets it, through index.ts', () => {
  assert.deepEqual(layerViolations(sources), []);
});

test('the checker fails an agent that reaches into the kernel, and an undeclared folder', () => {
  const planted = [
    { rel: 'cni/x.ts', text: "import { Netns } from '../kernel/index.js';\nexport const n = Netns;\n" },
    { rel: 'cni/ok.ts', text: "import type { HostNetwork } from '../host/index.js';\nexport type H = HostNetwork;\n" },
    { rel: 'proxy/y.ts', text: "import { Fib } from '../host/sim.js';\n" },
    { rel: 'mystery/z.ts', text: 'export const z = 1;\n' },
  ];
  assert.deepEqual(layerViolations(planted), [
    'cni/x.ts imports ../kernel/index.js: cni/ may import api, host, wire, sim (DESIGN.md, Allowed imports)',
    'proxy/y.ts imports ../host/sim.js: reach host/ through its index.ts',
    "src/mystery/ is not a declared layer: add it to ALLOWED in src/layers.test.ts and to DESIGN.md's Allowed imports table",
  ]);
});

test('no value-import cycles between modules (type-only cycles are fine)', () => {
  assert.deepEqual(valueCycles(sources), []);
  const planted = [
    { rel: 'kernel/a.ts', text: "import { b } from './b.js';\nexport const a = b;\n" },
    { rel: 'kernel/b.ts', text: "import { type A } from './a.js';\nexport const b = 1;\n" },
    { rel: 'kernel/c.ts', text: "import type { D } from './d.js';\n" },
    { rel: 'kernel/d.ts', text: "import { c } from './c.js';\n" },
  ];
  assert.deepEqual(valueCycles(planted), []);
  planted[1] = { rel: 'kernel/b.ts', text: "import { type A, a } from './a.js';\nexport const b = 1;\n" };
  assert.deepEqual(valueCycles(planted), [['kernel/a.js', 'kernel/b.js']]);
});

test('the allowed-imports table has no cycle between folders', () => {
  const seen = new Set<string>();
  const path: string[] = [];
  const walk = (f: string) => {
    assert.ok(!path.includes(f), `folder cycle: ${[...path, f].join(' -> ')}`);
    if (seen.has(f)) return;
    path.push(f);
    const deps = ALLOWED[f];
    if (deps !== '*') for (const d of deps ?? []) walk(d);
    path.pop();
    seen.add(f);
  };
  for (const f of Object.keys(ALLOWED)) walk(f);
});

test('the emulator core stays runtime-neutral: no Node-only modules, no real time or randomness', () => {
  const bad: string[] = [];
  for (const s of sources) {
    const layer = topOf(s.rel);
    if (NODE_ALLOWED.includes(layer) || !s.rel.includes('/')) continue;
    for (const spec of [...s.text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!)) {
      if (/^(node:)?(fs|child_process|net|os|path|process)(\/promises)?$/.test(spec)) bad.push(`${s.rel} imports ${spec}`);
    }
    if (layer !== 'sim' && /\b(Date\.now|Math\.random|setTimeout|setInterval|performance\.now)\b/.test(s.text))
      bad.push(`${s.rel} reads real time or randomness`);
  }
  assert.deepEqual(bad, []);
});

test('tsconfig.core.json compiles every runtime-neutral folder without Node types', () => {
  const core = JSON.parse(readFileSync(join(ROOT, 'tsconfig.core.json'), 'utf8')) as {
    compilerOptions: { types: string[] };
    exclude: string[];
  };
  assert.deepEqual(core.compilerOptions.types, []);
  assert.deepEqual(core.exclude.filter((e) => e !== 'src/**/*.test.ts').sort(), NODE_ALLOWED.map((f) => `src/${f}/**`).sort());
});
