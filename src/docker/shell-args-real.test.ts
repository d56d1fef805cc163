// A shell's command line in a container (`sh -ec SCRIPT`, `bash -euo pipefail -c …`, `sh -c SCRIPT
// NAME ARG`, `sh FILE`) does what bash 5.2, dash 0.5.12 (Debian's /bin/sh) and BusyBox 1.35's ash
// on this machine do with it: the same stdout, stderr and exit status.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NodeFiles } from '../sim/index.js';
import { runShell, type ContainerShell } from './shell.js';

/** The real program for each: argv[0] is what the container's command line names. */
const REAL: Readonly<Record<string, { readonly run: readonly string[]; readonly sh: 'dash' | 'ash' }>> = {
  bash: { run: ['bash'], sh: 'dash' },
  // Debian's /bin/sh, run by that name ($0, messages)
  dash: { run: ['sh'], sh: 'dash' },
  ash: { run: ['busybox', 'sh'], sh: 'ash' },
};
const NAME: Readonly<Record<string, string>> = { bash: 'bash', dash: 'sh', ash: 'sh' };

const PROBE = 'echo "$0|$#|$1|$2"; false; echo after';

/** Argument lists after the shell's name; a stdin for those that read their script from it. */
const CASES: readonly { readonly args: readonly string[]; readonly stdin?: string; readonly only?: readonly string[] }[] = [
  { args: ['-c', PROBE] },
  { args: ['-ec', PROBE] },
  { args: ['-e', '-c', PROBE, 'zero', 'one', 'two'] },
  { args: ['-c', '-e', PROBE, 'zero'] },
  { args: ['+e', '-c', PROBE] },
  { args: ['-xc', 'echo a b; x=1; echo "$x"'] },
  { args: ['-uc', 'echo "${nope}"; echo after'] },
  { args: ['-u', '-c', 'echo "${nope:-default}" "${1:+one}" "${nope-x}"'] },
  { args: ['-o', 'pipefail', '-c', 'false | true; echo "pipe $?"'] },
  { args: ['-eu', '-o', 'pipefail', '-c', 'echo hi'] },
  { args: ['-n', '-c', 'echo n'] },
  { args: ['-fc', 'echo /u*'] },
  // dash traces words unquoted (`+ echo me arg`): not emulated
  { args: ['-ex', '-c', 'echo "$0 $1"; false; echo never', 'me', 'arg'], only: ['bash', 'ash'] },
  { args: ['-c', 'nope'] },
  { args: ['-c', 'echo one; nope'] },
  { args: ['-c'] },
  { args: ['-q', '-c', 'echo'] },
  { args: ['-o', 'nosuch', '-c', 'echo'], only: ['dash', 'ash'] },
  { args: ['--norc', '--posix', '-c', 'echo "$0"'], only: ['bash'] },
  { args: ['-x', '--login', '-c', 'echo'], only: ['bash'] },
  { args: ['/nonexistent.sh', 'a'] },
  { args: ['SCRIPT', 'a', 'b'] },
  { args: ['-e', 'SCRIPT', 'a'] },
  { args: [], stdin: 'echo "$0|$#"; echo from-stdin' },
];

function missing(): string | undefined {
  for (const tool of ['bash', 'dash', 'busybox'])
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  return undefined;
}
const skip = missing();
if (skip && process.env['KNETLAB_REQUIRE_REALLAB'] === '1') throw new Error(`${skip} (KNETLAB_REQUIRE_REALLAB=1)`);

function container(script: { path: string; text: string }, sh: 'dash' | 'ash'): ContainerShell {
  const files = new NodeFiles(() => 0);
  for (const d of ['/tmp', '/usr/bin']) files.mkdirp(d);
  for (const cmd of ['echo', 'false', 'true', 'bash', 'sh']) files.write(`/usr/bin/${cmd}`, 'ELF', { mode: 0o755 });
  files.mkdirp(script.path.slice(0, script.path.lastIndexOf('/')));
  files.write(script.path, script.text);
  return { files, hostname: 'c', env: { PATH: '/usr/bin' }, tools: {}, now: () => 0, sleep: async () => {}, sh };
}

test('shell command lines: options, -c, $0 and $1…, script files and stdin as bash, dash and BusyBox ash read them', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'knetlab-shell-args-'));
  try {
    const script = { path: join(dir, 's.sh'), text: 'echo "$0|$#|$1"\nfalse\necho after\n' };
    writeFileSync(script.path, script.text);
    const differences: string[] = [];
    for (const [program, real] of Object.entries(REAL))
      for (const k of CASES) {
        if (k.only && !k.only.includes(program)) continue;
        const args = k.args.map((a) => (a === 'SCRIPT' ? script.path : a));
        const want = spawnSync(real.run[0]!, [...real.run.slice(1), ...args], {
          cwd: '/',
          // bash takes a socket on stdin (Node's pipes) for rshd's and reads bashrc, unless nested
          env: { PATH: '/usr/bin:/bin', SHLVL: '1' },
          input: k.stdin ?? '',
          encoding: 'utf8',
        });
        const got = await runShell(container(script, real.sh), ['echo', 'false', 'true'], [NAME[program]!, ...args], k.stdin);
        const w = { stdout: want.stdout, stderr: want.stderr, status: want.status };
        const g = { stdout: got.stdout, stderr: got.stderr, status: got.status };
        if (JSON.stringify(w) !== JSON.stringify(g))
          differences.push(`${program} ${JSON.stringify(args)}:\n  real      ${JSON.stringify(w)}\n  emulated  ${JSON.stringify(g)}`);
      }
    assert.deepEqual(differences, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
