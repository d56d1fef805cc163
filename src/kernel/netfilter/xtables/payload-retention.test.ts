// A restored rule keeps its own words: a payload's text can go once the restore is done, however
// many of its chains live on (kube-proxy restores a new payload on every sync).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { IptablesState } from '../tables.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A kube-proxy-shaped nat payload: `n` chains of long names, each with a commented DNAT. */
function payload(n: number, tag: string): string {
  const lines = ['*nat'];
  for (let i = 0; i < n; i++) lines.push(`:KUBE-SEP-${tag}${String(i).padStart(12, '0')} - [0:0]`);
  for (let i = 0; i < n; i++) {
    const chain = `KUBE-SEP-${tag}${String(i).padStart(12, '0')}`;
    lines.push(
      `-A ${chain} -p tcp -m comment --comment "ns-${tag}/svc-${i}:http" -m tcp -j DNAT --to-destination 10.244.${(i >> 8) & 255}.${i & 255}:80`,
    );
  }
  return `${lines.concat('COMMIT', '').join('\n')}`;
}

/**
 * Heap growth over `fn`, once collected; `fn` returns what must stay alive through the measure.
 * Each collection waits for the job to end: V8 keeps a WeakRef's target (the intern pools')
 * alive until then, so a collection within the job would count every table made so far.
 */
async function heapGrowth(fn: () => unknown): Promise<number> {
  await setImmediate();
  gc();
  const before = process.memoryUsage().heapUsed;
  const alive = fn();
  await setImmediate();
  gc();
  const after = process.memoryUsage().heapUsed;
  assert.ok(alive !== null);
  return after - before;
}

test('restored rules do not keep their payload text alive', async () => {
  const restore = (tag: string, keepText: boolean): unknown => {
    const state = new IptablesState();
    let text: string | undefined = payload(20_000, tag);
    state.restore(text, { noflush: true });
    // other payloads push this one out of the restore memo
    for (let i = 0; i < 10; i++) new IptablesState().restore(`*filter\n:X${tag}${i} - [0:0]\nCOMMIT\n`, { noflush: true });
    const kept = keepText ? text : undefined;
    text = undefined;
    return [state, kept];
  };
  const textBytes = payload(20_000, 'B').length;
  // a first restore compiles the reader, whose code and feedback would count against one side
  await heapGrowth(() => restore('W', false));
  // the least of two measures each: a collection can leave some unrelated garbage behind
  const held = Math.min(await heapGrowth(() => restore('A', true)), await heapGrowth(() => restore('D', true)));
  const dropped = Math.min(await heapGrowth(() => restore('C', false)), await heapGrowth(() => restore('E', false)));
  // with the text released, the growth is that of the rules alone; a reader that keeps the text
  // (or slices of it) holds it either way, and the difference is then near zero
  assert.ok(held - dropped > 0.8 * textBytes, `held ${held}, dropped ${dropped}, text ${textBytes}`);
});

test('ownText() gives back exactly its word, whatever characters a payload puts in it', async () => {
  const { ownText } = await import('./append-line.js');
  const line = 'x'.repeat(40);
  for (const w of [
    'KUBE-SEP-ABCDEFGHIJKLMNOP',
    'ns/svc:http cluster IP',
    'a "quoted" word here',
    'ends with a quote"',
    'a back\\slash and \\n',
    'a\ttab and a \u0001 control',
    'unicode \u00e9\u4e2d\u{1f600} text',
    'short',
  ]) {
    const cut = `${line}${w}${line}`.slice(line.length, line.length + w.length);
    assert.equal(ownText(cut), w);
  }
});
