// Layers are enforced, not hoped for (STYLE 10): no upward import against DESIGN.md's order,
// no import around a folder's index.ts, no Node-only module below the front ends, no real time
// or Math.random outside sim/ (STYLE 8).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Lower layers first. transcript/ is plain text handling; apps/ run in a namespace on top of the kernel; shell/ runs apps. */
const ORDER = ['sim', 'wire', 'transcript', 'kernel', 'apps', 'shell', 'host', 'reallab', 'lab', 'server', 'cli'];
const NODE_ALLOWED = new Set(['cli', 'server', 'reallab']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

const sources = files(SRC).map((path) => ({ path, rel: relative(SRC, path), text: readFileSync(path, 'utf8') }));
const layerOf = (rel: string) => rel.split('/')[0]!;
const imports = (text: string) => [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);

test('no module imports a layer above its own', () => {
  const bad: string[] = [];
  for (const s of sources) {
    const mine = ORDER.indexOf(layerOf(s.rel));
    for (const spec of imports(s.text).filter((i) => i.startsWith('.'))) {
      const target = layerOf(relative(SRC, resolve(dirname(s.path), spec)));
      if (ORDER.indexOf(target) > mine) bad.push(`${s.rel} imports ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('other folders are reached only through their index.ts', () => {
  const bad: string[] = [];
  for (const s of sources) {
    for (const spec of imports(s.text).filter((i) => i.startsWith('.'))) {
      const target = relative(SRC, resolve(dirname(s.path), spec));
      const top = layerOf(target);
      if (top === layerOf(s.rel) || ['apps', 'shell', 'cli', 'transcript'].includes(top)) continue;
      if (!target.endsWith('index.js')) bad.push(`${s.rel} imports ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('the emulator core stays runtime-neutral: no Node-only modules, no real time or randomness', () => {
  const bad: string[] = [];
  for (const s of sources) {
    const layer = layerOf(s.rel);
    if (NODE_ALLOWED.has(layer)) continue;
    for (const spec of imports(s.text)) if (/^(node:)?(fs|child_process|net|os|path|process)(\/promises)?$/.test(spec)) bad.push(`${s.rel} imports ${spec}`);
    if (layer !== 'sim' && /\b(Date\.now|Math\.random|setTimeout|setInterval|performance\.now)\b/.test(s.text)) bad.push(`${s.rel} reads real time or randomness`);
  }
  assert.deepEqual(bad, []);
});
