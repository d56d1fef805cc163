import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTranscript, parseScenario, parseTranscript, shellWords, type TranscriptEntry } from './index.js';

const entries: TranscriptEntry[] = [
  { command: 'ip netns add test-ns', stdout: '', stderr: '', exit: 0 },
  { command: 'ip netns list', stdout: 'test-ns\n', stderr: '', exit: 0 },
  { command: 'ip link set nope up', stdout: '', stderr: 'Cannot find device "nope"\n', exit: 1 },
  { command: 'ip route get 10.9.9.9', stdout: '', stderr: 'RTNETLINK answers: Network is unreachable\n', exit: 2 },
  { command: 'printf x', stdout: 'x', stderr: 'one\ntwo\n', exit: 0 },
];

test('formatTranscript() writes $ lines, stdout verbatim, prefixed stderr, and [exit N] only when N != 0', () => {
  assert.equal(
    formatTranscript(entries),
    [
      '$ ip netns add test-ns',
      '$ ip netns list',
      'test-ns',
      '$ ip link set nope up',
      'stderr: Cannot find device "nope"',
      '[exit 1]',
      '$ ip route get 10.9.9.9',
      'stderr: RTNETLINK answers: Network is unreachable',
      '[exit 2]',
      '$ printf x',
      'x',
      'stderr: one',
      'stderr: two',
      '',
    ].join('\n'),
  );
});

test('parseTranscript() reads back what formatTranscript() wrote', () => {
  const back = parseTranscript(formatTranscript(entries));
  assert.deepEqual(back, [...entries.slice(0, 4), { command: 'printf x', stdout: 'x\n', stderr: 'one\ntwo\n', exit: 0 }]);
});

test('parseTranscript() keeps blank stdout lines and rejects output before any command', () => {
  assert.deepEqual(parseTranscript('$ ping\nPING\n\n--- stats\n'), [
    { command: 'ping', stdout: 'PING\n\n--- stats\n', stderr: '', exit: 0 },
  ]);
  assert.throws(() => parseTranscript('orphan\n$ ip link\n'), /before any "\$ " command line/);
});

test('parseScenario() skips blanks and comments and recognises ip netns exec', () => {
  const cmds = parseScenario('# a comment\n\nip netns add a\n  ip netns exec a ip -br link  \n   # indented comment\nip netns exec\n');
  assert.deepEqual(cmds, [
    { line: 3, text: 'ip netns add a', inner: 'ip netns add a' },
    { line: 4, text: 'ip netns exec a ip -br link', netns: 'a', inner: 'ip -br link' },
    { line: 6, text: 'ip netns exec', inner: 'ip netns exec' },
  ]);
});

test('shellWords() splits on blanks and honours quotes and escapes', () => {
  assert.deepEqual(shellWords('ip  link set dev eth0 up'), ['ip', 'link', 'set', 'dev', 'eth0', 'up']);
  assert.deepEqual(shellWords(`echo 1 > /proc/sys/net/ipv4/ip_forward`), ['echo', '1', '>', '/proc/sys/net/ipv4/ip_forward']);
  assert.deepEqual(shellWords(`sh -c 'a b' "c \\"d\\" \\x" e\\ f ''`), ['sh', '-c', 'a b', 'c "d" \\x', 'e f', '']);
  assert.throws(() => shellWords(`echo 'oops`), /unterminated single quote/);
});
