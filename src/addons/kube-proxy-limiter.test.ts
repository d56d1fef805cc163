// kube-proxy's sync limiter: at the time the next token is due, it is there, whatever rounding the
// clock's fractional milliseconds bring (a live lab server's clock looped on one instant before).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../sim/index.js';
import { refilled } from './kube-proxy.js';

test('refilled(): the token a sync was armed for is there when it fires, on any clock', () => {
  // a case that came out 0.9999999999999931 tokens, and re-armed the sync at the same instant
  const t0 = 99194.84733693213;
  const tokens0 = 0.02551782008255432;
  assert.equal(refilled(tokens0, t0, t0 + 1000 * (1 - tokens0), 1000), 1);
  const rng = new Rng('limiter');
  for (let i = 0; i < 20_000; i++) {
    const since = rng.int(0, 1e9) / rng.int(1, 1e4);
    const tokens = rng.int(0, 1e6) / 1e6;
    const minMs = [1000, 250, 1, 30_000][i % 4]!;
    const due = since + minMs * (1 - tokens);
    assert.ok(refilled(tokens, since, due, minMs) >= 1, `${tokens} at ${since} (${minMs} ms a token)`);
  }
  assert.equal(refilled(0.5, 0, 500, 1000), 1);
  assert.equal(refilled(0, 0, 250, 1000), 0.25, 'a fraction stays one');
  assert.equal(refilled(1.5, 0, 10_000, 1000), 2, 'at most the burst');
  assert.equal(refilled(0, 0, 0, 0), 2, 'no minimum interval: always the burst');
});
