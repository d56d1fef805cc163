import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lastResult } from './memo.js';

test('lastResult calls fn again only for another text, and does not remember a throw', () => {
  const calls: string[] = [];
  const parse = lastResult((text: string) => {
    calls.push(text);
    if (text === 'bad') throw new Error('bad text');
    return { length: text.length };
  });
  const a = parse('abc');
  assert.equal(parse('ab' + 'c'), a); // equal text built anew: the same result, fn not called
  assert.deepEqual(parse('xy'), { length: 2 });
  assert.notEqual(parse('abc'), a); // only the last text is remembered
  assert.throws(() => parse('bad'), /bad text/);
  assert.throws(() => parse('bad'), /bad text/);
  assert.deepEqual(calls, ['abc', 'xy', 'abc', 'bad', 'bad']);
});
