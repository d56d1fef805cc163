import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from './rng.js';
import { SmallMap } from './small-map.js';

test('SmallMap answers as a Map through any run of sets, deletes and clears, small and grown', () => {
  const keys: unknown[] = [0, -0, 1, 2, 3, 'a', 'b', 'c', Number.NaN, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
  for (let seed = 1; seed <= 40; seed++) {
    const rng = new Rng(seed);
    const map = new Map<unknown, number>();
    const small = new SmallMap<unknown, number>();
    for (let step = 0; step < 300; step++) {
      const k = keys[rng.int(0, seed % 2 ? 6 : keys.length)];
      const op = rng.int(0, 10);
      if (op < 6) assert.equal(small.set(k, step), small);
      else if (op < 9) assert.equal(small.delete(k), map.delete(k));
      else if (rng.int(0, 10) === 0) {
        small.clear();
        map.clear();
      }
      if (op < 6) map.set(k, step);
      assert.equal(small.size, map.size);
      for (const q of keys) {
        assert.equal(small.has(q), map.has(q));
        assert.equal(small.get(q), map.get(q));
      }
      assert.deepEqual([...small], [...map], `seed ${seed} step ${step}`);
      assert.deepEqual([...small.keys()], [...map.keys()]);
      assert.deepEqual([...small.values()], [...map.values()]);
      const seen: [unknown, number][] = [];
      small.forEach((v, k, m) => {
        assert.equal(m, small);
        seen.push([k, v]);
      });
      assert.deepEqual(seen, [...map.entries()]);
    }
  }
});

test('SmallMap takes its entries from the constructor, a later one of a key replacing the value in place', () => {
  const m = new SmallMap([
    ['x', 1],
    ['y', 2],
    ['x', 3],
  ]);
  assert.deepEqual(
    [...m],
    [
      ['x', 3],
      ['y', 2],
    ],
  );
  assert.equal(new SmallMap().size, 0);
});
