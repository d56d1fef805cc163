import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WireError, emitTcp, emitTcpOptions, parseIpv4, parseTcp, parseTcpOptions, tcpBufferLen } from './index.js';
import type { TcpOption } from './index.js';

const fromHex = (h: string) => Uint8Array.from(h.replace(/\s+/g, '').match(/../g)!, (x) => parseInt(x, 16));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// The SYN Linux sent to 192.168.50.2:8080: mss 1460, sackOK, TS, nop, wscale 10.
const SYN = '9ac41f90d449fbd200000000a002faf073ac0000 020405b40402080a1bbc4dde000000000103030a';
const SRC = parseIpv4('192.168.50.1')!;
const DST = parseIpv4('192.168.50.2')!;

test('Tcp parse and emit are exact inverses on a real Linux SYN', () => {
  const bytes = fromHex(SYN);
  const s = parseTcp(bytes);
  assert.equal(s.seq, 0xd449fbd2);
  assert.equal(s.flags, 0x02);
  assert.equal(s.window, 64240);
  const buf = new Uint8Array(tcpBufferLen(s) + 2).fill(0xa5);
  emitTcp(s, buf, 1, SRC, DST);
  assert.equal(toHex(buf.subarray(1, 1 + bytes.length)), toHex(bytes));
  assert.deepEqual([buf[0], buf[bytes.length + 1]], [0xa5, 0xa5]);
});

test('parseTcpOptions() reads the options Linux puts on a SYN; emitTcpOptions() writes them back', () => {
  const options = parseTcp(fromHex(SYN)).options;
  const expected: TcpOption[] = [
    { kind: 'mss', mss: 1460 },
    { kind: 'sackOK' },
    { kind: 'ts', val: 0x1bbc4dde, ecr: 0 },
    { kind: 'nop' },
    { kind: 'wscale', shift: 10 },
  ];
  assert.deepEqual(parseTcpOptions(options), expected);
  assert.equal(toHex(emitTcpOptions(expected)), toHex(options));
});

test('emitTcpOptions() pads to a multiple of 4 with EOL and encodes SACK blocks', () => {
  const bytes = emitTcpOptions([
    { kind: 'mss', mss: 1460 },
    { kind: 'wscale', shift: 7 },
  ]);
  assert.equal(toHex(bytes), '020405b403030700');
  const sack = emitTcpOptions([{ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: [[1, 2]] }]);
  assert.deepEqual(parseTcpOptions(sack), [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: [[1, 2]] }]);
});

test('parseTcpOptions() rejects an option that runs past the end', () => {
  assert.throws(
    () => parseTcpOptions(fromHex('0208')),
    (e: unknown) => e instanceof WireError && e.message === 'TCP: option 2 length 8 is invalid',
  );
});

test('parseTcp() rejects a data offset below 5 words', () => {
  const bad = fromHex(SYN);
  bad[12] = 0x40;
  assert.throws(() => parseTcp(bad), /TCP: data offset 4 words is below 5/);
});
