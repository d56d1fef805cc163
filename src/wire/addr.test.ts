// parseIpv4 is read character by character; it must accept exactly what the dotted-quad rule
// accepts (four parts of one to three decimal digits, each at most 255, leading zeros allowed).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseIpv4 } from './addr.js';

/** The rule as written before: split on dots, a regular expression per part. */
function byRule(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    if (Number(p) > 255) return undefined;
    v = v * 256 + Number(p);
  }
  return v >>> 0;
}

test('parseIpv4 answers as the dotted-quad rule on edge cases and on generated strings', () => {
  for (const text of [
    '0.0.0.0',
    '255.255.255.255',
    '010.001.0.9',
    '256.1.1.1',
    '1.2.3',
    '1.2.3.4.',
    '.1.2.3',
    '1..2.3',
    '1.2.3.4.5',
    '1.2.3.0004',
    '1.2.3.-4',
    '１.2.3.4',
    '1.2.3.4 ',
    '',
    '...',
    '1.2.3.999',
  ])
    assert.equal(parseIpv4(text), byRule(text), JSON.stringify(text));
  const octet = fc.oneof(
    fc.integer({ min: 0, max: 300 }).map(String),
    fc.stringMatching(/^[0-9]{0,4}$/),
    fc.constantFrom('', '-1', 'a', ' 1', '1e1', '0x1'),
  );
  const dotted = fc.array(octet, { minLength: 0, maxLength: 6 }).map((p) => p.join('.'));
  fc.assert(
    fc.property(fc.oneof(dotted, fc.string({ maxLength: 20 })), (text) => parseIpv4(text) === byRule(text)),
    { numRuns: 20_000 },
  );
});

test("host-local's reservation file names (an address, or lock, last_reserved_ip.0…) parse as the rule reads them", () => {
  const names = [
    '10.244.1.2',
    '0.0.0.0',
    '255.255.255.255',
    '256.1.1.1',
    '1.2.3',
    '1.2.3.4.5',
    '01.002.3.4',
    '1.2.3.0004',
    '1..3.4',
    '.1.2.3',
    '1.2.3.',
    'lock',
    'last_reserved_ip.0',
    '1.2.3.4 ',
    '١.2.3.4',
    '',
    '1.2.3.-4',
    '999.1.1.1',
  ];
  for (const n of names) assert.equal(parseIpv4(n), byRule(n), JSON.stringify(n));
});
