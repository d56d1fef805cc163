// IptablesState: atomic restore, the kernel's refusals, shared storage of identical rule sets,
// per-namespace counters and change notification. Outputs are checked against iptables 1.8.9
// elsewhere (rulespec.test.ts, apps/iptables goldens); these tests pin the store's invariants.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IptablesError } from './xtables/rulespec-error.js';
import { parseCommand } from './xtables/rulespec.js';
import { splitRestoreLine } from './xtables/tables-restore.js';
import { IptablesState, type SetBackend } from './tables.js';
import { ruleText } from './tables-intern.js';
import type { TableName } from './types.js';

const NOW = new Date(Date.UTC(2026, 10, 26, 2, 50, 19));
const state = (): IptablesState => new IptablesState({ now: () => NOW });
const run = (s: IptablesState, ...argv: string[]): string => {
  const cmd = parseCommand(argv, s.setExists ? { setExists: s.setExists } : {});
  return s.execute(cmd, cmd.table as TableName);
};
const failure = (f: () => unknown, prog = 'iptables'): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof IptablesError) return e.render(prog);
    throw e;
  }
  assert.fail('expected an IptablesError');
};

/** A small kube-proxy-shaped nat payload: `n` services with two endpoints each. */
function kubeProxyPayload(n: number, extra = ''): string {
  const lines = [
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    ':KUBE-MARK-MASQ - [0:0]',
    ':KUBE-SERVICES - [0:0]',
  ];
  const rules = [
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
  ];
  for (let i = 0; i < n; i++) {
    const ip = `10.96.${i >> 8}.${i & 255}`;
    lines.push(`:KUBE-SVC-${i} - [0:0]`, `:KUBE-SEP-${i}A - [0:0]`, `:KUBE-SEP-${i}B - [0:0]`);
    rules.push(
      `-A KUBE-SERVICES -d ${ip}/32 -p tcp -m comment --comment "ns/svc${i}:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-${i}`,
      `-A KUBE-SVC-${i} -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-${i}A`,
      `-A KUBE-SVC-${i} -j KUBE-SEP-${i}B`,
      `-A KUBE-SEP-${i}A -s 10.244.1.${i & 255}/32 -j KUBE-MARK-MASQ`,
      `-A KUBE-SEP-${i}A -p tcp -m tcp -j DNAT --to-destination 10.244.1.${i & 255}:8080`,
      `-A KUBE-SEP-${i}B -p tcp -m tcp -j DNAT --to-destination 10.244.2.${i & 255}:8080`,
    );
  }
  return [...lines, ...rules, extra, 'COMMIT', ''].filter((l) => l !== '').join('\n') + '\n';
}

test('IptablesState.restore() rejects a payload with a jump to a missing chain and applies nothing', () => {
  const s = state();
  s.restore(kubeProxyPayload(2));
  const before = s.save();
  const version = s.version;
  const bad = '*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -j KUBE-SVC-MISSING\nCOMMIT\n';
  assert.equal(
    failure(() => s.restore(bad), 'iptables-restore'),
    "iptables-restore v1.8.9 (nf_tables): Chain 'KUBE-SVC-MISSING' does not exist\nError occurred at line: 4\nTry `iptables-restore -h' or 'iptables-restore --help' for more information.\n",
  );
  assert.equal(s.save(), before);
  assert.equal(s.version, version);
});

test('IptablesState.restore() is atomic per table: blocks committed before a failing one stay', () => {
  const s = state();
  const payload = '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*nat\n-A NOPE -j ACCEPT\nCOMMIT\n';
  assert.equal(
    failure(() => s.restore(payload), 'iptables-restore'),
    'iptables-restore: line 5 failed: No chain/target/match by that name.\n',
  );
  assert.equal(s.table('filter')!.chains.get('INPUT')!.rules.length, 1);
  assert.equal(s.table('nat'), undefined);
});

test('IptablesState.restore() refuses a payload the kernel refuses (a loop reached from a hook) and applies nothing', () => {
  const s = state();
  const payload = '*filter\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -j B\n-A B -j A\nCOMMIT\n';
  assert.equal(
    failure(() => s.restore(payload), 'iptables-restore'),
    'iptables-restore v1.8.9 (nf_tables): \nline 6: RULE_APPEND failed (Too many links): rule in chain B\n',
  );
  assert.equal(s.table('filter'), undefined);
});

test('a loop is refused when its target already has the hooks (the walk is skipped only for chains no user chain jumps to)', () => {
  const s = state();
  // B gets INPUT's hook directly and through A; then B -> A closes A -> B -> A.
  const payload = '*filter\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -j B\n-A INPUT -j B\n-A B -j A\nCOMMIT\n';
  assert.equal(
    failure(() => s.restore(payload), 'iptables-restore'),
    'iptables-restore v1.8.9 (nf_tables): \nline 7: RULE_APPEND failed (Too many links): rule in chain B\n',
  );
  // The same across two restores, the second starting from the hooks the first kept.
  s.restore('*filter\n:A - [0:0]\n:B - [0:0]\n:C - [0:0]\n-A INPUT -j A\n-A A -j B\n-A INPUT -j B\n-A B -j C\nCOMMIT\n');
  assert.equal(
    failure(() => s.restore('*filter\n-A C -j A\nCOMMIT\n', { noflush: true }), 'iptables-restore'),
    'iptables-restore v1.8.9 (nf_tables): \nline 2: RULE_APPEND failed (Too many links): rule in chain C\n',
  );
  // A chain only hooks jump to closes no loop: many jumps from it are accepted.
  s.restore('*filter\n:D - [0:0]\n-A INPUT -j D\n-A D -j A\n-A D -j B\n-A D -j C\nCOMMIT\n', { noflush: true });
  assert.deepEqual(
    s
      .table('filter')!
      .chains.get('D')!
      .rules.map((r) => ruleText(r)),
    [' -j A', ' -j B', ' -j C'],
  );
  // A target not yet reached from this hook is still walked: MASQUERADE is refused from PREROUTING.
  s.restore('*nat\n:X - [0:0]\n-A POSTROUTING -j X\n-A X -j MASQUERADE\nCOMMIT\n');
  assert.match(
    failure(() => s.restore('*nat\n-A PREROUTING -j X\nCOMMIT\n', { noflush: true }), 'iptables-restore'),
    /RULE_APPEND failed \(Invalid argument\)/,
  );
});

test('IptablesState.save() prints the date iptables-save prints, from the injected clock', () => {
  const s = state();
  run(s, '-N', 'X');
  assert.equal(
    s.save(),
    '# Generated by iptables-save v1.8.9 (nf_tables) on Thu Nov 26 02:50:19 2026\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:X - [0:0]\nCOMMIT\n# Completed on Thu Nov 26 02:50:19 2026\n',
  );
});

test('IptablesState stores identical rule sets once: namespaces restoring the same payload share Tables and Chains', () => {
  const a = state();
  const b = state();
  a.restore(kubeProxyPayload(50));
  b.restore(kubeProxyPayload(50));
  assert.equal(a.table('nat'), b.table('nat'));
  // A namespace whose rules differ in one chain still shares every other chain.
  const c = state();
  c.restore(kubeProxyPayload(50, '-A KUBE-MARK-MASQ -j RETURN'));
  assert.notEqual(c.table('nat'), a.table('nat'));
  assert.notEqual(c.table('nat')!.chains.get('KUBE-MARK-MASQ'), a.table('nat')!.chains.get('KUBE-MARK-MASQ'));
  assert.equal(c.table('nat')!.chains.get('KUBE-SERVICES'), a.table('nat')!.chains.get('KUBE-SERVICES'));
  // Converging again shares again.
  run(c, '-t', 'nat', '-D', 'KUBE-MARK-MASQ', '2');
  assert.equal(c.table('nat'), a.table('nat'));
});

test('IptablesState shares a chain between twins while other namespaces hold other contents under its name', () => {
  // Four kinds of node, two of each, restoring in turns: each KUBE-MARK-MASQ is shared with its twin only.
  const kinds = ['', '-A KUBE-MARK-MASQ -j RETURN', '-A KUBE-MARK-MASQ -j ACCEPT', '-A KUBE-MARK-MASQ -s 10.0.0.1 -j RETURN'];
  // The twins restore with --noflush: not a replay of the memoised first restore, so the chain pool finds their chains.
  const nodes = [...kinds, ...kinds].map((extra, i) => {
    const s = state();
    s.restore(kubeProxyPayload(5, extra), { noflush: i >= kinds.length });
    return s;
  });
  const masq = (s: IptablesState) => s.table('nat')!.chains.get('KUBE-MARK-MASQ');
  for (let k = 0; k < kinds.length; k++) {
    assert.equal(masq(nodes[k + kinds.length]!), masq(nodes[k]!), `kind ${k}`);
    for (let j = 0; j < k; j++) assert.notEqual(masq(nodes[k]!), masq(nodes[j]!));
    assert.equal(nodes[k]!.table('nat')!.chains.get('KUBE-SERVICES'), nodes[0]!.table('nat')!.chains.get('KUBE-SERVICES'));
  }
});

test('IptablesState never changes a committed Table: a change makes a new one', () => {
  const s = state();
  s.restore(kubeProxyPayload(3));
  const t = s.table('nat')!;
  const services = t.chains.get('KUBE-SERVICES')!;
  const text = s.save({ table: 'nat' });
  run(s, '-t', 'nat', '-A', 'KUBE-SERVICES', '-j', 'RETURN');
  assert.notEqual(s.table('nat'), t);
  assert.equal(services.rules.length, 3);
  assert.equal(t.chains.get('KUBE-SVC-0'), s.table('nat')!.chains.get('KUBE-SVC-0'));
  run(s, '-t', 'nat', '-D', 'KUBE-SERVICES', '4');
  assert.equal(s.save({ table: 'nat' }), text);
});

test('IptablesState keeps counters per namespace, even for shared rules', () => {
  const a = state();
  const b = state();
  a.restore(kubeProxyPayload(2));
  b.restore(kubeProxyPayload(2));
  const rule = a.table('nat')!.chains.get('KUBE-SERVICES')!.rules[0]!;
  assert.equal(rule, b.table('nat')!.chains.get('KUBE-SERVICES')!.rules[0]);
  a.counters(rule).packets += 3;
  a.counters(rule).bytes += 180;
  assert.deepEqual(b.counters(rule), { packets: 0, bytes: 0 });
  // A change elsewhere keeps the rule and its counters.
  run(a, '-t', 'nat', '-A', 'KUBE-MARK-MASQ', '-j', 'RETURN');
  assert.deepEqual(a.counters(a.table('nat')!.chains.get('KUBE-SERVICES')!.rules[0]!), { packets: 3, bytes: 180 });
  assert.match(run(a, '-t', 'nat', '-L', 'KUBE-SERVICES', '-n', '-v', '-x'), /\n {7}3 {6}180 KUBE-SVC-0 /);
  // Deleting the extra rule brings back the shared chain; the counters follow the rule.
  run(a, '-t', 'nat', '-D', 'KUBE-MARK-MASQ', '2');
  assert.equal(a.table('nat'), b.table('nat'));
  assert.deepEqual(a.counters(rule), { packets: 3, bytes: 180 });
  // A restore makes new rules: counters start from zero, as in the kernel.
  a.restore(kubeProxyPayload(2));
  assert.deepEqual(a.counters(a.table('nat')!.chains.get('KUBE-SERVICES')!.rules[0]!), { packets: 0, bytes: 0 });
});

test('IptablesState: -Z zeroes rule and policy counters; -c and restore -c set them', () => {
  const s = state();
  s.restore('*filter\n:INPUT ACCEPT [5:500]\n[7:700] -A INPUT -j ACCEPT\nCOMMIT\n', { counters: true });
  assert.equal(
    s.save({ table: 'filter', counters: true }).split('\n').slice(2, 6).join('\n'),
    ':INPUT ACCEPT [5:500]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n[7:700] -A INPUT -j ACCEPT',
  );
  run(s, '-Z', 'INPUT');
  assert.equal(run(s, '-S', 'INPUT', '-v'), '-P INPUT ACCEPT -c 0 0\n-A INPUT -c 0 0 -j ACCEPT\n');
  run(s, '-A', 'INPUT', '-c', '9', '99', '-j', 'DROP');
  assert.equal(run(s, '-S', 'INPUT', '2', '-v'), '-A INPUT -c 9 99 -j DROP\n');
});

test('IptablesState.version and onChange follow committed changes only', () => {
  const s = state();
  const seen: string[] = [];
  const off = s.onChange((t) => seen.push(t));
  run(s, '-t', 'nat', '-N', 'X');
  assert.equal(s.version, 1);
  assert.throws(() => run(s, '-t', 'nat', '-N', 'X'));
  run(s, '-t', 'nat', '-L', '-n');
  assert.throws(() => run(s, '-t', 'nat', '-C', 'X', '-j', 'RETURN'));
  assert.equal(s.version, 1);
  assert.deepEqual(seen, ['nat']);
  off();
  run(s, '-t', 'nat', '-X', 'X');
  assert.equal(s.version, 2);
  assert.deepEqual(seen, ['nat']);
});

test('IptablesState.describe() names a rule as iptables-save prints it', () => {
  const s = state();
  s.restore(kubeProxyPayload(1));
  const rule = s.table('nat')!.chains.get('KUBE-SERVICES')!.rules[0]!;
  assert.equal(
    s.describe('KUBE-SERVICES', rule),
    '-A KUBE-SERVICES -d 10.96.0.0/32 -p tcp -m comment --comment "ns/svc0:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-0',
  );
});

test('IptablesState: a table exists once something created it, and an empty restore block deletes it', () => {
  const s = state();
  run(s, '-t', 'nat', '-L');
  run(s, '-t', 'nat', '-F');
  assert.equal(s.table('nat'), undefined);
  assert.equal(s.save(), '');
  run(s, '-t', 'nat', '-P', 'OUTPUT', 'ACCEPT');
  assert.notEqual(s.table('nat'), undefined);
  s.restore('*nat\nCOMMIT\n');
  assert.equal(s.table('nat'), undefined);
});

test('IptablesState holds an ipset reference for each rule that matches the set', () => {
  const refs = new Map<string, number>();
  const sets: SetBackend = {
    exists: (n) => n.startsWith('KUBE-'),
    reference: (n) => refs.set(n, (refs.get(n) ?? 0) + 1),
    release: (n) => refs.set(n, (refs.get(n) ?? 0) - 1),
  };
  const s = new IptablesState({ sets });
  run(s, '-A', 'INPUT', '-m', 'set', '--match-set', 'KUBE-A', 'src', '-j', 'ACCEPT');
  run(s, '-A', 'FORWARD', '-m', 'set', '--match-set', 'KUBE-A', 'dst', '-m', 'set', '!', '--match-set', 'KUBE-B', 'dst');
  assert.deepEqual(
    [...refs],
    [
      ['KUBE-A', 2],
      ['KUBE-B', 1],
    ],
  );
  assert.equal(
    failure(() => run(s, '-A', 'INPUT', '-m', 'set', '--match-set', 'other', 'src')),
    "iptables v1.8.9 (nf_tables): Set other doesn't exist.\n\nTry `iptables -h' or 'iptables --help' for more information.\n",
  );
  run(s, '-F', 'FORWARD');
  assert.deepEqual(
    [...refs],
    [
      ['KUBE-A', 1],
      ['KUBE-B', 0],
    ],
  );
  s.restore('*filter\nCOMMIT\n');
  assert.deepEqual(
    [...refs],
    [
      ['KUBE-A', 0],
      ['KUBE-B', 0],
    ],
  );
});

test("IptablesState restore: a line read once reads alike in every namespace, but one naming an ipset is read against each namespace's sets", () => {
  const backend = (exists: boolean): SetBackend => ({ exists: () => exists, reference() {}, release() {} });
  const kube =
    '*nat\n:KUBE-POSTROUTING - [0:0]\n-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully\nCOMMIT\n';
  const a = state();
  const b = state();
  a.restore(kube);
  b.restore(kube.replace('*nat', '*nat\n:OTHER - [0:0]'));
  assert.equal(b.save({ table: 'nat' }).replace(':OTHER - [0:0]\n', ''), a.save({ table: 'nat' }));
  // (a tab after -A: the full parser's lines) the same line in another table is read for that table
  const drop = (table: string) => `*${table}\n:X - [0:0]\n-A\tX -m comment --comment "drop it" -j DROP\nCOMMIT\n`;
  state().restore(drop('filter'));
  assert.throws(() => state().restore(drop('nat')), /not intended for filtering/);
  const withSet = '*filter\n-A\tINPUT -m comment --comment "by set" -m set --match-set KUBE-A src -j ACCEPT\nCOMMIT\n';
  new IptablesState({ sets: backend(true) }).restore(withSet);
  assert.throws(() => new IptablesState({ sets: backend(false) }).restore(withSet), /Set KUBE-A doesn't exist/);
});

test('IptablesState.restore() of a 10,000-service kube-proxy payload stays linear (no per-rule rescans)', () => {
  const s = state();
  const payload = kubeProxyPayload(10000);
  s.restore(payload);
  assert.equal(s.table('nat')!.chains.size, 4 + 2 + 30000);
  const text = s.save({ table: 'nat' });
  assert.equal(text.split('\n').filter((l) => l.startsWith('-A ')).length, 2 + 60000);
  // Restored again elsewhere: the same objects.
  const t = state();
  t.restore(payload);
  assert.equal(t.table('nat'), s.table('nat'));
});

test('IptablesState.restore() replays a payload another namespace restored onto the same tables, with fresh counters', () => {
  const payload = kubeProxyPayload(20);
  const a = state();
  a.restore(payload, { noflush: true });
  const first = a.table('nat');
  const rule = a.table('nat')!.chains.get('KUBE-SERVICES')!.rules[0]!;
  a.counters(rule).packets = 5;
  // The same payload again (replayed): the rules are new rules, their counters restart.
  a.restore(payload, { noflush: true });
  assert.deepEqual(a.counters(a.table('nat')!.chains.get('KUBE-SERVICES')!.rules[0]!), { packets: 0, bytes: 0 });
  const b = state();
  b.restore(payload, { noflush: true });
  assert.equal(b.table('nat'), first);
  // A namespace that starts elsewhere gets the payload applied, not replayed.
  const c = state();
  run(c, '-t', 'nat', '-N', 'EXTRA');
  c.restore(payload, { noflush: true });
  assert.ok(c.table('nat')!.chains.has('EXTRA'));
  assert.equal(c.table('nat')!.chains.get('KUBE-SERVICES'), a.table('nat')!.chains.get('KUBE-SERVICES'));
});

test('splitRestoreLine() splits as iptables-restore: double quotes group, backslash escapes inside them, single quotes are plain', () => {
  assert.deepEqual(splitRestoreLine('-A\tINPUT  -m comment --comment "a \\"b\\" c" -j ACCEPT\n'), [
    '-A',
    'INPUT',
    '-m',
    'comment',
    '--comment',
    'a "b" c',
    '-j',
    'ACCEPT',
  ]);
  assert.deepEqual(splitRestoreLine("--comment 'a b'"), ['--comment', "'a", "b'"]);
  assert.deepEqual(splitRestoreLine('--comment "" x'), ['--comment', '', 'x']);
  assert.deepEqual(splitRestoreLine('--comment "open\n'), ['--comment', 'open\n']);
  assert.deepEqual(splitRestoreLine('x"y z"w'), ['xy z', 'w']);
});

test('IptablesState restore: lines of one shape parse each on its own words (values, targets, errors)', () => {
  const s = state();
  const lines = ['*nat', ':A - [0:0]', ':B - [0:0]'];
  lines.push('-A A -d 10.0.0.1/32 -p tcp -m comment --comment "one" -m tcp --dport 80 -j B');
  lines.push('-A A -d 10.0.0.2 -p tcp -m comment --comment "two words" -m tcp --dport 81 -j DNAT --to-destination 10.1.0.2:8080');
  lines.push('-A A -d 10.0.0.3/8 -p tcp -m comment --comment "three" -m tcp --dport 82 -j B');
  lines.push('-A A -d 10.0.0.4/32 -p udp -m comment --comment "four" -m udp --dport 83 -j RETURN');
  s.restore([...lines, 'COMMIT', ''].join('\n'));
  assert.equal(
    s
      .save({ table: 'nat' })
      .split('\n')
      .filter((l) => l.startsWith('-A'))
      .join('\n'),
    [
      '-A A -d 10.0.0.1/32 -p tcp -m comment --comment one -m tcp --dport 80 -j B',
      '-A A -d 10.0.0.2/32 -p tcp -m comment --comment "two words" -m tcp --dport 81 -j DNAT --to-destination 10.1.0.2:8080',
      '-A A -d 10.0.0.0/8 -p tcp -m comment --comment three -m tcp --dport 82 -j B',
      '-A A -d 10.0.0.4/32 -p udp -m comment --comment four -m udp --dport 83 -j RETURN',
    ].join('\n'),
  );
  // The same shape with a bad value fails at its own line, with its own word.
  const bad = [...lines.slice(0, 4), '-A A -d 10.0.0.999/32 -p tcp -m comment --comment "x" -m tcp --dport 80 -j B', 'COMMIT', ''].join(
    '\n',
  );
  assert.equal(
    failure(() => s.restore(bad), 'iptables-restore'),
    "iptables-restore v1.8.9 (nf_tables): host/network `10.0.0.999' not found\nError occurred at line: 5\nTry `iptables-restore -h' or 'iptables-restore --help' for more information.\n",
  );
});

test('IptablesState restore --noflush of a few chains: the table as a full restore of the same rules lists it; jump counts kept from the last commit', () => {
  const s = state();
  s.restore(
    '*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-SVC-B - [0:0]\n:KUBE-SVC-D - [0:0]\n-A OUTPUT -j KUBE-SERVICES\n-A KUBE-SERVICES -d 10.96.0.2/32 -j KUBE-SVC-B\n-A KUBE-SERVICES -d 10.96.0.4/32 -j KUBE-SVC-D\nCOMMIT\n',
  );
  // A referenced chain cannot go: the counts come from the committed table.
  assert.match(
    failure(() => s.restore('*nat\n-X KUBE-SVC-B\nCOMMIT\n', { noflush: true }), 'iptables-restore'),
    /CHAIN_DEL failed \(Device or resource busy\): chain KUBE-SVC-B/,
  );
  s.restore(
    '*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-SVC-A - [0:0]\n:KUBE-SVC-C - [0:0]\n-A KUBE-SERVICES -d 10.96.0.1/32 -j KUBE-SVC-A\n-A KUBE-SERVICES -d 10.96.0.3/32 -j KUBE-SVC-C\n-A KUBE-SERVICES -d 10.96.0.4/32 -j KUBE-SVC-D\n-X KUBE-SVC-B\nCOMMIT\n',
    { noflush: true },
  );
  const full = state();
  full.restore(
    '*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-SVC-A - [0:0]\n:KUBE-SVC-C - [0:0]\n:KUBE-SVC-D - [0:0]\n-A OUTPUT -j KUBE-SERVICES\n-A KUBE-SERVICES -d 10.96.0.1/32 -j KUBE-SVC-A\n-A KUBE-SERVICES -d 10.96.0.3/32 -j KUBE-SVC-C\n-A KUBE-SERVICES -d 10.96.0.4/32 -j KUBE-SVC-D\nCOMMIT\n',
  );
  assert.equal(s.save({ table: 'nat' }), full.save({ table: 'nat' }));
  assert.equal(s.table('nat'), full.table('nat'));
  // -X without a name walks the chains in creation order, the ones made by the second restore last.
  s.restore('*nat\n-F OUTPUT\n-F KUBE-SERVICES\nCOMMIT\n', { noflush: true });
  assert.equal(
    run(s, '-t', 'nat', '-v', '-X'),
    "Deleting chain `KUBE-SERVICES'\nDeleting chain `KUBE-SVC-D'\nDeleting chain `KUBE-SVC-A'\nDeleting chain `KUBE-SVC-C'\n",
  );
});

test('a table transaction commits its changes at once, or leaves the table as it was (abort, or refusals at commit)', () => {
  const s = state();
  s.restore('*filter\n:A - [0:0]\n-A INPUT -j A\nCOMMIT\n');
  const before = s.table('filter');
  const rule = (spec: string) => parseCommand(['-A', 'A', ...spec.split(' ')]).rule!;
  // Aborted: nothing of it lands.
  const dropped = s.begin('filter');
  dropped.append('A', rule('-p tcp -j ACCEPT'));
  dropped.abort();
  assert.equal(s.table('filter'), before);
  assert.throws(() => dropped.append('A', rule('-p udp -j ACCEPT')), /the filter transaction has ended/);
  // Refused at commit (MASQUERADE has no place in filter): the table stays as it was.
  const refused = s.begin('filter');
  refused.append('A', rule('-p tcp -j ACCEPT'));
  refused.append('A', rule('-j MASQUERADE'), 7);
  assert.match(
    failure(() => refused.commit(), 'iptables-restore'),
    /line 7: RULE_APPEND failed \(Invalid argument\): rule in chain A/,
  );
  assert.equal(s.table('filter'), before);
  // Committed: both changes at once, nothing seen before the commit.
  const tx = s.begin('filter');
  tx.append('A', rule('-p tcp -j ACCEPT'));
  tx.newChain('B');
  assert.equal(s.table('filter'), before);
  tx.commit();
  assert.deepEqual(
    s
      .save()
      .split('\n')
      .filter((l) => !l.startsWith('#')),
    [
      '*filter',
      ':INPUT ACCEPT [0:0]',
      ':FORWARD ACCEPT [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      ':A - [0:0]',
      ':B - [0:0]',
      '-A INPUT -j A',
      '-A A -p tcp -j ACCEPT',
      'COMMIT',
      '',
    ],
  );
  assert.throws(() => tx.commit(), /the filter transaction has ended/);
});

test('IptablesState: a rule object added again starts from zero counters, shared chain or not', () => {
  // The host parses a rule it ensures once for every namespace: the same Rule object comes back.
  const s = state();
  const rule = parseCommand(['-A', 'OUTPUT', '-j', 'ACCEPT'], { table: 'filter' }).rule!;
  const other = parseCommand(['-A', 'OUTPUT', '-j', 'RETURN'], { table: 'filter' }).rule!;
  s.edit('filter', (tx) => tx.append('OUTPUT', rule));
  s.counters(rule).packets += 5;
  s.counters(rule).bytes += 500;
  s.edit('filter', (tx) => tx.append('OUTPUT', other));
  s.edit('filter', (tx) => tx.deleteNum('OUTPUT', 1));
  // OUTPUT becomes [rule, other]: a content no table had, so no chain is shared.
  s.edit('filter', (tx) => tx.insert('OUTPUT', 1, rule));
  assert.deepEqual(s.counters(rule), { packets: 0, bytes: 0 });
});

test("IptablesState restore: the -A reader's guess at a run's chain (the one declared next) never puts a rule elsewhere", () => {
  // The same payload with a tab after each -A goes to the full parser, which makes no guess.
  const viaParser = (p: string): string => p.replace(/^-A /gm, '-A\t');
  const outcome = (payloads: readonly string[], viaFull: boolean): string => {
    const s = state();
    try {
      for (const p of payloads) s.restore(viaFull ? viaParser(p) : p, { noflush: true });
    } catch (e) {
      if (e instanceof IptablesError) return e.render('iptables-restore');
      throw e;
    }
    return s.save();
  };
  const cases: (readonly string[])[] = [
    // Runs in declaration order, then out of it (after A the guess is B: the line names C).
    [
      '*filter\n:A - [0:0]\n:B - [0:0]\n:C - [0:0]\n-A A -j ACCEPT\n-A B -j DROP\n-A C -j RETURN\n-A A -j DROP\n-A C -j ACCEPT\n-A B -j ACCEPT\nCOMMIT\n',
    ],
    // The chain guessed was deleted: the line fails as it does without the guess.
    ['*filter\n:A - [0:0]\n:B - [0:0]\n-X B\n-A A -j ACCEPT\n-A B -j ACCEPT\nCOMMIT\n'],
    // Deleted, then made again: the rule lands in the new chain.
    ['*filter\n:A - [0:0]\n:B - [0:0]\n:C - [0:0]\n-X B\n:B - [0:0]\n-A A -j ACCEPT\n-A C -j ACCEPT\n-A B -j DROP\nCOMMIT\n'],
    // Onto a table holding chains: the guess covers only the chains this restore made.
    [
      '*filter\n:A - [0:0]\n:B - [0:0]\n-A A -j ACCEPT\n-A B -j ACCEPT\nCOMMIT\n',
      '*filter\n:C - [0:0]\n:D - [0:0]\n-A A -j DROP\n-A C -j DROP\n-A D -j DROP\n-A B -j DROP\n-A C -j ACCEPT\nCOMMIT\n',
    ],
    // A flushed table (no --noflush) declares its chains again.
    ['*filter\n:A - [0:0]\n:B - [0:0]\n-F\n-X\n:B - [0:0]\n:A - [0:0]\n-A B -j DROP\n-A A -j DROP\nCOMMIT\n'],
  ];
  for (const payloads of cases) {
    const expected = outcome(payloads, true);
    assert.equal(outcome(payloads, false), expected, payloads.join('---\n'));
  }
  // The second case is a failure, the others are tables: the comparison covers both.
  assert.match(outcome(cases[1]!, false), /line 6 failed/);
});

test('IptablesState.ensureChain() in a namespace starting from the table another made the chain in adopts that commit; others make their own', () => {
  const a = state();
  const b = state();
  const c = state();
  let changes = 0;
  b.onChange(() => changes++);
  for (const s of [a, b]) {
    assert.equal(s.ensureChain('mangle', 'KUBE-KUBELET-CANARY'), false);
    assert.equal(s.ensureChain('mangle', 'KUBE-PROXY-CANARY'), false);
    assert.equal(s.ensureChain('mangle', 'KUBE-PROXY-CANARY'), true);
  }
  assert.equal(b.table('mangle'), a.table('mangle'));
  assert.equal(b.factsOf('mangle'), a.factsOf('mangle'));
  assert.equal(b.save({ table: 'mangle' }), a.save({ table: 'mangle' }));
  assert.equal(changes, 2);
  // another start: its own table, with both chains in its order
  c.ensureChain('mangle', 'OTHER');
  c.ensureChain('mangle', 'KUBE-KUBELET-CANARY');
  assert.notEqual(c.table('mangle'), a.table('mangle'));
  assert.deepEqual(
    c
      .save({ table: 'mangle' })
      .split('\n')
      .filter((l) => l.startsWith(':') && !l.includes('ACCEPT')),
    [':KUBE-KUBELET-CANARY - [0:0]', ':OTHER - [0:0]'],
  );
  // the same table reached another way (its own facts, alike): the commit is adopted too
  const x = state();
  const y = state();
  x.restore('*filter\n:A - [0:0]\nCOMMIT\n', { noflush: true });
  y.restore('*filter\n:B - [0:0]\nCOMMIT\n', { noflush: true });
  y.restore('*filter\n:A - [0:0]\n-X B\nCOMMIT\n', { noflush: true });
  assert.equal(y.table('filter'), x.table('filter'));
  assert.notEqual(y.factsOf('filter'), x.factsOf('filter'));
  x.ensureChain('filter', 'KUBE-KUBELET-CANARY');
  y.ensureChain('filter', 'KUBE-KUBELET-CANARY');
  assert.equal(y.table('filter'), x.table('filter'));
  assert.equal(y.factsOf('filter'), x.factsOf('filter')); // adopted: x's commit, facts and all
  // what one namespace does next stays its own; one that made nothing has nothing
  run(b, '-t', 'mangle', '-A', 'KUBE-PROXY-CANARY', '-j', 'RETURN');
  assert.equal(a.table('mangle')!.chains.get('KUBE-PROXY-CANARY')!.rules.length, 0);
  assert.throws(() => run(state(), '-t', 'mangle', '-A', 'KUBE-KUBELET-CANARY', '-j', 'RETURN'), IptablesError);
});
