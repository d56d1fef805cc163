// The input fuzzer in CI: a fixed seed range finds no crash, no hang and no unintended state
// change; and it does find, and minimise, a crash planted in one option of one tool.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Command } from '../apps/proc.js';
import { COMMANDS } from '../shell/session.js';
import { describe, fuzz, inputFor } from './fuzz.js';

/** The CI range: at least 5,000 inputs. */
const CI_SEEDS = 5_000;

test(`fuzz:input seeds 0..${CI_SEEDS - 1}: no crash, no hang, no unintended state change`, () => {
  const { runs, findings } = fuzz(0, CI_SEEDS);
  assert.equal(runs, CI_SEEDS);
  assert.deepEqual(
    findings.map((f) => `seed ${f.seed}: ${f.problem}: ${f.detail}\n  minimal input: ${describe(f.input)}`),
    [],
  );
});

test('the same seed gives the same input', () => {
  assert.deepEqual(inputFor(1234), inputFor(1234));
  assert.notDeepEqual(inputFor(1234), inputFor(1235));
});

test('a crash planted in one option (ping -q throws) is found and minimised to that option', () => {
  const table = COMMANDS as Record<string, Command>;
  const ping = table['ping']!;
  table['ping'] = (args, proc) => {
    if (args.includes('-q')) throw new TypeError('planted');
    return ping(args, proc);
  };
  try {
    const { findings } = fuzz(0, 20_000, { stopAtFirst: true });
    assert.equal(findings.length, 1, 'found');
    const [f] = findings;
    assert.equal(f!.problem, 'crash');
    assert.match(f!.detail, /TypeError: planted/);
    const words = f!.input.kind === 'script' ? f!.input.text.split(' ') : f!.input.argv;
    assert.deepEqual([...words], ['ping', '-q'], describe(f!.input));
  } finally {
    table['ping'] = ping;
  }
});
