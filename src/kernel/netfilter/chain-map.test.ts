// ChainMap against the plain model it replaces: a Map rebuilt in listing order after every change
// (built-in chains in their fixed order, then user chains sorted by name), over random changes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../sim/index.js';
import { ChainMap } from './chain-map.js';
import type { Chain } from './types.js';

const BUILTINS = ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'];
const ids = new Map<Chain, number>();
const idOf = (c: Chain): number | undefined => ids.get(c);
let nextId = 1;
const chain = (name: string): Chain => {
  const c: Chain = { name, policy: BUILTINS.includes(name) ? 'ACCEPT' : undefined, rules: [] };
  ids.set(c, nextId++);
  return c;
};

function model(m: Map<string, Chain>): [string, Chain][] {
  const user = [...m].filter(([k]) => !BUILTINS.includes(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [...BUILTINS.filter((b) => m.has(b)).map((b): [string, Chain] => [b, m.get(b)!]), ...user];
}

/** Applies `changes` to `m` and to the model `ref`; checks they then hold the same chains, in order. */
function changeBoth(
  m: ChainMap,
  changes: ReadonlyMap<string, Chain | undefined>,
  ref: Map<string, Chain>,
): { next: ChainMap; want: [string, Chain][] } {
  const next = m.with(changes);
  for (const [n, v] of changes)
    if (v) ref.set(n, v);
    else ref.delete(n);
  const want = model(ref);
  assert.deepEqual([...next], want);
  assert.equal(next.size, ref.size);
  return { next, want };
}

test('ChainMap: same chains, order and lookups as a Map kept in listing order, under random changes', () => {
  const rng = new Rng(13);
  const names = [...BUILTINS, ...Array.from({ length: 600 }, (_, i) => `KUBE-SEP-${(i * 7919) % 1000}`), 'A', 'Z', 'KUBE-SERVICES'];
  const ref = new Map<string, Chain>();
  for (const n of names.slice(0, 300)) ref.set(n, chain(n));
  let m = ChainMap.of(
    BUILTINS,
    model(ref).map(([, c]) => c),
    idOf,
  );
  for (let step = 0; step < 300; step++) {
    const changes = new Map<string, Chain | undefined>();
    const k = step % 10 === 0 ? 200 : rng.int(1, 8);
    for (let j = 0; j < k; j++) {
      const n = names[rng.int(0, names.length)]!;
      const v = rng.int(0, 3) === 0 ? undefined : chain(n);
      changes.set(n, v);
    }
    const before = m;
    const beforeEntries = [...before];
    const { next, want } = changeBoth(m, changes, ref);
    m = next;
    for (const n of names) assert.equal(m.get(n), ref.get(n), n);
    assert.deepEqual([...before], beforeEntries, 'the map a change starts from is unchanged');
    // The id hash is the hash of a map built whole from the same chains.
    assert.deepEqual(
      m.idHash(),
      ChainMap.of(
        BUILTINS,
        want.map(([, c]) => c),
        idOf,
      ).idHash(),
    );
    assert.equal(
      m.sameChains(
        ChainMap.of(
          BUILTINS,
          want.map(([, c]) => c),
          idOf,
        ),
      ),
      true,
    );
    if (changes.size && [...changes].some(([n, v]) => before.get(n) !== v)) assert.equal(m.sameChains(before), false);
  }
});

test('ChainMap: thousands of chains made at once in a map holding a few (one leaf), sorted or not, as the model', () => {
  const rng = new Rng(7);
  const ref = new Map<string, Chain>();
  for (const n of ['PREROUTING', 'KUBE-SERVICES', 'KUBE-POSTROUTING']) ref.set(n, chain(n));
  let m = ChainMap.of(
    BUILTINS,
    model(ref).map(([, c]) => c),
    idOf,
  );
  for (const [size, inOrder] of [
    [3000, false],
    [500, false],
    [800, true],
  ] as const) {
    const changes = new Map<string, Chain | undefined>();
    // Names unsorted (or sorted, as a payload declaring its chains in order), some already
    // there (replaced), some removed.
    const names = Array.from({ length: size }, () => `KUBE-SEP-${rng.int(0, 4 * size)}`);
    if (inOrder) names.sort();
    for (const n of names) changes.set(n, rng.int(0, 5) === 0 ? undefined : chain(n));
    changes.set('KUBE-SERVICES', chain('KUBE-SERVICES'));
    changes.set('KUBE-POSTROUTING', undefined);
    const { next, want } = changeBoth(m, changes, ref);
    m = next;
    for (const n of ref.keys()) assert.equal(m.get(n), ref.get(n), n);
    assert.deepEqual(
      m.idHash(),
      ChainMap.of(
        BUILTINS,
        want.map(([, c]) => c),
        idOf,
      ).idHash(),
    );
  }
});
