// getopt_long as glibc reads a command line; the messages are glibc's, seen from tcpdump 4.99.3
// and sysctl (procps-ng 4.0.2) on Debian 12.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GetoptScanner, OPERAND, getoptLong, type LongOption } from '../../src/transcript/getopt.js';

const LONGS: LongOption[] = [
  { name: 'count', arg: 'none', key: 'count' },
  { name: 'interface', arg: 'required', key: 'i' },
  { name: 'list-interfaces', arg: 'none', key: 'D' },
  { name: 'list-time-stamp-types', arg: 'none', key: 'J' },
  { name: 'load', arg: 'optional', key: 'p' },
  { name: 'loader', arg: 'optional', key: 'p' },
];
const parse = (...args: string[]) => getoptLong('tcpdump', args, 'c:i:np::', LONGS);

test('getoptLong() takes --name=value, --name value and unique prefixes', () => {
  assert.deepEqual(parse('--interface=eth0', '--coun', '--inter', 'lo', '-ni', 'x'), {
    options: [{ opt: 'i', arg: 'eth0' }, { opt: 'count' }, { opt: 'i', arg: 'lo' }, { opt: 'n' }, { opt: 'i', arg: 'x' }],
    operands: [],
  });
  // A required argument is the next word even when it looks like an option.
  assert.deepEqual(parse('--interface', '-n'), { options: [{ opt: 'i', arg: '-n' }], operands: [] });
});

test('getoptLong() permutes operands, stops at --, and stops at the first operand with a + spec', () => {
  assert.deepEqual(parse('host', '-n', 'x', '--', '-c'), { options: [{ opt: 'n' }], operands: ['host', 'x', '-c'] });
  assert.deepEqual(getoptLong('sleep', ['1', '-n'], '+n', []), { options: [], operands: ['1', '-n'] });
});

test('getoptLong() optional arguments are attached only', () => {
  assert.deepEqual(parse('-p', 'file'), { options: [{ opt: 'p' }], operands: ['file'] });
  assert.deepEqual(parse('-pfile', '--load=x', '--load', 'y'), {
    options: [{ opt: 'p', arg: 'file' }, { opt: 'p', arg: 'x' }, { opt: 'p' }],
    operands: ['y'],
  });
  // Two prefix matches meaning the same option are not ambiguous.
  assert.deepEqual(parse('--loa=z'), { options: [{ opt: 'p', arg: 'z' }], operands: [] });
});

test("getoptLong() gives glibc's messages", () => {
  assert.deepEqual(parse('--foo=1'), { error: "tcpdump: unrecognized option '--foo=1'", opt: 'foo' });
  assert.deepEqual(parse('--list=x'), {
    error: "tcpdump: option '--list=x' is ambiguous; possibilities: '--list-interfaces' '--list-time-stamp-types'",
    opt: 'list',
  });
  assert.deepEqual(parse('--count=x'), { error: "tcpdump: option '--count' doesn't allow an argument", opt: 'count' });
  assert.deepEqual(parse('--inter'), { error: "tcpdump: option '--interface' requires an argument", opt: 'i' });
  assert.deepEqual(parse('-x'), { error: "tcpdump: invalid option -- 'x'", opt: 'x' });
  assert.deepEqual(parse('-c'), { error: "tcpdump: option requires an argument -- 'c'", opt: 'c' });
  assert.deepEqual(parse('-:'), { error: "tcpdump: invalid option -- ':'", opt: ':' });
});

test('GetoptScanner permutes argv as glibc does, so the word before optind names the option', () => {
  // conntrack's spec: errors are returned, not printed (`:`), -L takes an optional attached argument.
  const g = new GetoptScanner('conntrack', ['-s', '1.1.1.1', 'foo', '-xz'], ':L::s:z', undefined);
  assert.deepEqual(g.next(), { opt: 's', arg: '1.1.1.1' });
  const e = g.next();
  assert.equal(e !== undefined && 'error' in e && e.kind, 'unknown');
  // -x is not the last letter of its word, so optind still points at it: the word before is "foo".
  assert.equal(g.word(g.optind - 1), 'foo');
  const m = new GetoptScanner('conntrack', ['-L', '-s'], ':L::s:', undefined);
  assert.deepEqual(m.next(), { opt: 'L' });
  const missing = m.next();
  assert.equal(missing !== undefined && 'error' in missing && missing.kind, 'missing');
  assert.equal(m.word(m.optind - 1), '-s');
});

test('GetoptScanner reads options a tool adds between calls, and leaves operands after the options', () => {
  const g = new GetoptScanner('conntrack', ['a', '-p', 'tcp', 'b', '--sp', '80'], 'p:', [{ name: 'protonum', arg: 'required', key: 'p' }]);
  assert.deepEqual(g.next(), { opt: 'p', arg: 'tcp' });
  g.longs = [...g.longs!, { name: 'sport', arg: 'required', key: 'sport' }];
  assert.deepEqual(g.next(), { opt: 'sport', arg: '80' });
  assert.equal(g.next(), undefined);
  assert.deepEqual(g.operands(), ['a', 'b']);
  assert.deepEqual(g.argv, ['-p', 'tcp', '--sp', '80', 'a', 'b']);
});

test("GetoptScanner with a '-' spec returns operands in place, as iptables reads them", () => {
  const g = new GetoptScanner('iptables', ['-A', 'INPUT', '!', '-s', 'x', 'stray'], '-:A:s:', undefined);
  assert.deepEqual(g.next(), { opt: 'A', arg: 'INPUT' });
  assert.deepEqual(g.next(), { opt: OPERAND, arg: '!' });
  assert.deepEqual(g.next(), { opt: 's', arg: 'x' });
  assert.deepEqual(g.next(), { opt: OPERAND, arg: 'stray' });
  assert.equal(g.next(), undefined);
  // Words after -- are not returned: they stay after optind.
  const h = new GetoptScanner('iptables', ['-A', 'INPUT', '--', 'x'], '-:A:', undefined);
  assert.deepEqual(h.next(), { opt: 'A', arg: 'INPUT' });
  assert.equal(h.next(), undefined);
  assert.deepEqual(h.operands(), ['x']);
});
