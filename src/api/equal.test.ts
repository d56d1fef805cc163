import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonEqual } from './equal.js';

test('jsonEqual compares as the JSON encodings would: undefined keys are absent', () => {
  assert.equal(jsonEqual({ a: 1, b: undefined }, { a: 1 }), true);
  assert.equal(jsonEqual({ a: 1 }, { a: 1, b: undefined }), true);
  assert.equal(jsonEqual({ a: 1 }, { a: 1, b: 2 }), false);
  assert.equal(jsonEqual({ a: 1, b: 2 }, { a: 1 }), false);
  assert.equal(jsonEqual({ a: 1, b: 2 }, { b: 2, a: 1 }), true);
  assert.equal(jsonEqual({ a: null }, { a: undefined }), false);
  assert.equal(jsonEqual({ a: [1, { x: 'y' }] }, { a: [1, { x: 'y' }] }), true);
  assert.equal(jsonEqual({ a: [1, { x: 'y' }] }, { a: [1, { x: 'z' }] }), false);
  assert.equal(jsonEqual({ a: [1] }, { a: { 0: 1 } }), false);
  assert.equal(jsonEqual({}, []), false);
  assert.equal(jsonEqual({ s: { t: {} } }, { s: { t: {}, u: undefined } }), true);
});
