// The packed statistic test must take exactly the draws Rng.float() < p takes, for every draw.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../sim/index.js';
import { drawLimit } from './chain-index.js';

const takes = (u: number, p: number): boolean => u <= drawLimit(p);

test('drawLimit: u <= drawLimit(p) exactly when u / 2^32 < p', () => {
  const ps = [1 / 3, 0.5, 2 / 3, 0.25, 0.2, 1 / 7, 0.1, 0.0001, 1, 1.5, 2 ** -32, 2 ** -33, 3 * 2 ** -33, 0.99999999999];
  const rng = new Rng(7);
  for (let k = 0; k < 200; k++) ps.push(rng.float());
  for (const p of ps) {
    const edge = Math.floor(p * 2 ** 32);
    const us = [0, 1, 0xffff_ffff, edge - 1, edge, edge + 1].filter((u) => u >= 0 && u <= 0xffff_ffff);
    for (let k = 0; k < 50; k++) us.push(rng.u32());
    for (const u of us) assert.equal(takes(u, p), u / 2 ** 32 < p, `p=${p} u=${u}`);
  }
});
