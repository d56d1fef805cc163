// Rule specifications against iptables 1.8.9 (nf_tables): each line of testdata/rulespecs.in is
// appended to a chain with the real iptables in a fresh network namespace and printed back with
// -S, -L -n, -L and -L -nvx --line-numbers (testdata/rulespecs.txt, `UPDATE_GOLDEN=1` re-records
// as root); here the same line goes through parseCommand, the table store and the renderers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { updateGolden } from '../../../golden.js';
import { fileURLToPath } from 'node:url';
import { shellWords } from '../../../../src/transcript/index.js';
import { IptablesError } from '../../../../src/kernel/netfilter/xtables/rulespec-error.js';
import { listRule, type ListFormat } from '../../../../src/kernel/netfilter/xtables/rulespec-list.js';
import { probabilityText, saveString } from '../../../../src/kernel/netfilter/xtables/rulespec-save.js';
import { parseCommand, parseRule } from '../../../../src/kernel/netfilter/xtables/rulespec.js';
import { IptablesState } from '../../../../src/kernel/netfilter/tables.js';
import type { TableName } from '../../../../src/kernel/netfilter/types.js';

const TESTDATA = join(resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../src/kernel/netfilter/xtables/testdata'));

const RECORDER = String.raw`
set +e
for t in filter nat mangle raw; do iptables -t $t -N KNETLAB; done
while IFS= read -r line; do
  case "$line" in ''|'#'*) continue;; esac
  eval "set -- $line"
  t=$1; c=$2; shift 2
  echo "> $line"
  if err=$(iptables -t $t -A $c "$@" 2>&1 >/dev/null); then
    echo "S $(iptables -t $t -S $c 1)"
    echo "N $(iptables -t $t -L $c 1 -n)"
    echo "L $(iptables -t $t -L $c 1)"
    echo "V $(iptables -t $t -L $c 1 -n -v -x --line-numbers)"
    iptables -t $t -F $c
  else
    echo "E $?"
    printf '%s\n' "$err" | sed 's/^/E| /'
  fi
done
`;

interface Entry {
  readonly spec: string;
  readonly lines: string[];
}

function parseGolden(text: string): Entry[] {
  const entries: Entry[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('> ')) entries.push({ spec: line.slice(2), lines: [] });
    else if (line !== '') entries.at(-1)!.lines.push(line);
  }
  return entries;
}

/** What the emulation prints for one spec, in the golden's line format. */
function emulate(state: IptablesState, spec: string): string[] {
  const [table, chain, ...rest] = shellWords(spec);
  try {
    const cmd = parseCommand(['-t', table!, '-A', chain!, ...rest]);
    state.execute(cmd, table as TableName);
    const t = state.table(table as TableName)!;
    const rule = t.chains.get(chain!)!.rules[0]!;
    const zero = { packets: 0, bytes: 0 };
    const f = (numeric: boolean, verbose: boolean): ListFormat => ({ numeric, verbose, exact: verbose, lineNumbers: verbose });
    const out = [
      `S -A ${chain}${state.describe(chain!, rule).slice(`-A ${chain}`.length)}`,
      `N ${listRule(rule, f(true, false), 1, zero)}`,
      `L ${listRule(rule, f(false, false), 1, zero)}`,
      `V ${listRule(rule, f(true, true), 1, zero)}`,
    ];
    state.execute(parseCommand(['-t', table!, '-F', chain!]), table as TableName);
    return out;
  } catch (e) {
    if (!(e instanceof IptablesError)) throw e;
    return [
      `E ${e.status}`,
      ...e
        .render('iptables')
        .replace(/\n$/, '')
        .split('\n')
        .map((l) => `E| ${l}`),
    ];
  }
}

test('rule specifications print as iptables 1.8.9 (nf_tables) prints them (testdata/rulespecs.txt)', async (t) => {
  const input = readFileSync(join(TESTDATA, 'rulespecs.in'), 'utf8');
  const golden = join(TESTDATA, 'rulespecs.txt');
  const record = () =>
    spawnSync('unshare', ['-n', 'bash', '-c', RECORDER], { input, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', LC_ALL: 'C' } })
      .stdout;
  await updateGolden(t, golden, record, process.getuid?.() !== 0 ? 'it needs root' : undefined);
  const state = new IptablesState();
  for (const table of ['filter', 'nat', 'mangle', 'raw'] as const) state.execute(parseCommand(['-t', table, '-N', 'KNETLAB']), table);
  const failures: string[] = [];
  const entries = parseGolden(readFileSync(golden, 'utf8'));
  assert.ok(entries.length > 100, 'the golden holds the recorded rules');
  for (const e of entries) {
    const actual = emulate(state, e.spec);
    if (actual.join('\n') !== e.lines.join('\n'))
      failures.push(`> ${e.spec}\n  real:\n    ${e.lines.join('\n    ')}\n  emulated:\n    ${actual.join('\n    ')}`);
  }
  assert.deepEqual(failures, []);
});

test('probabilityText() prints %.11f of the stored probability, ties to even as glibc', () => {
  assert.equal(probabilityText(0.5), '0.50000000000');
  assert.equal(probabilityText(Math.round(0.1 * 2 ** 31) / 2 ** 31), '0.10000000009');
  assert.equal(probabilityText(1), '1.00000000000');
  assert.equal(probabilityText(0), '0.00000000000');
  // 2^-12 = 0.000244140625: the 12th decimal is an exact tie; glibc keeps the even digit.
  assert.equal(probabilityText(2 ** -12), '0.00024414062');
});

test('saveString() quotes unless the text is [A-Za-z0-9_-], escaping quotes and backslashes', () => {
  assert.equal(saveString('kube-system_dns'), 'kube-system_dns');
  assert.equal(saveString('default/kubernetes:https'), '"default/kubernetes:https"');
  assert.equal(saveString(''), '""');
  assert.equal(saveString(`a"b'c\\d`), `"a\\"b\\'c\\\\d"`);
});

test('parseRule() reads a statistic probability as xt_statistic stores it (lround of p * 2^31)', () => {
  const r = parseRule(['-m', 'statistic', '--mode', 'random', '--probability', '0.1']);
  const m = r.matches[0]!;
  assert.equal(m.kind === 'statistic' && m.mode === 'random' ? m.probability * 2 ** 31 : NaN, 214748365);
});

test('parseRule() refuses a real module knetlab does not emulate, naming it', () => {
  assert.throws(
    () => parseRule(['-m', 'limit', '--limit', '5/s']),
    (e: unknown) => e instanceof IptablesError && /The match `limit' is not supported by knetlab/.test(e.message) && e.status === 2,
  );
  assert.throws(
    () => parseRule(['-j', 'TPROXY', '--on-port', '1']),
    (e: unknown) => e instanceof IptablesError && /The target `TPROXY' is not supported by knetlab/.test(e.message),
  );
  assert.throws(
    () => parseRule(['-j', 'CT', '--helper', 'ftp']),
    (e: unknown) => e instanceof IptablesError && /The CT option --helper is not supported by knetlab/.test(e.message),
  );
  assert.throws(
    () => parseRule(['-s', '10.0.0.0/0.0.255.0']),
    (e: unknown) => e instanceof IptablesError && /non-contiguous netmask/.test(e.message),
  );
});

test('parseCommand() refuses -m set for a set that does not exist, with the real text', () => {
  const setExists = (name: string): boolean => name === 'KUBE-X';
  assert.doesNotThrow(() => parseCommand(['-A', 'INPUT', '-m', 'set', '--match-set', 'KUBE-X', 'dst,dst', '-j', 'ACCEPT'], { setExists }));
  assert.throws(
    () => parseCommand(['-A', 'INPUT', '-m', 'set', '--match-set', 'cali40masq-ipam-pools', 'src'], { setExists }),
    (e: unknown) =>
      e instanceof IptablesError &&
      e.render('iptables') ===
        "iptables v1.8.9 (nf_tables): Set cali40masq-ipam-pools doesn't exist.\n\nTry `iptables -h' or 'iptables --help' for more information.\n",
  );
});

test('parseRule() reads CONNMARK, connmark, CT and REDIRECT as libxt stores them', () => {
  const t = (args: string[]) => parseRule(args).target;
  assert.deepEqual(t(['-j', 'CONNMARK', '--and-mark', '0xf0']), { kind: 'CONNMARK', mode: 'set', value: 0, ctmask: 0xffffff0f });
  assert.deepEqual(t(['-j', 'CONNMARK', '--restore-mark', '--mask', '0xff']), {
    kind: 'CONNMARK',
    mode: 'restore',
    nfmask: 0xff,
    ctmask: 0xff,
  });
  assert.throws(() => t(['-j', 'CONNMARK']), /CONNMARK target: No operation specified/);
  assert.throws(
    () => t(['-j', 'CONNMARK', '--set-mark', '1', '--save-mark']),
    /option "--set-mark" cannot be used together with "--save-mark"/,
  );
  assert.deepEqual(parseRule(['-m', 'connmark', '!', '--mark', '0x10/0xf0']).matches[0], {
    kind: 'connmark',
    value: 0x10,
    mask: 0xf0,
    invert: true,
  });
  assert.deepEqual(t(['-j', 'CT', '--notrack', '--zone', '3']), { kind: 'CT', notrack: true, zone: 3 });
  assert.deepEqual(t(['-p', 'tcp', '-j', 'REDIRECT', '--to-ports', '8080-8090', '--random']), {
    kind: 'REDIRECT',
    toPorts: { from: 8080, to: 8090 },
    random: true,
  });
  assert.throws(() => t(['-j', 'REDIRECT', '--to-ports', '80']), /Need TCP, UDP, SCTP or DCCP with port specification/);
});
