#!/usr/bin/env node
// The knetlab command line: `knetlab sh` runs commands on a persistent emulated host,
// `knetlab demo` walks through the seed 003 lab.
import { readFileSync, writeFileSync } from 'node:fs';
import { runDemo } from './demo.js';
import { diffScenario } from './diff.js';
import { KUBE_PROXY_USAGE, kubeProxy } from './kube-proxy.js';
import { FUZZ_USAGE, fuzzCommand } from '../fuzz/index.js';
import { checkHostName, loadHost, removeHost, saveHost } from './store.js';
import { cleanLabs, realLabUnavailableReason, runRealEntries } from '../reallab/index.js';

const USAGE = `usage: knetlab <command> [options]

commands:
  sh [--host NAME] [--reset] (-c 'CMD; CMD' | FILE)
        run commands (ip, bridge, brctl, sysctl, ping, tcpdump, iptables, ipset, ipvsadm,
        conntrack, curl, …) on an emulated Linux host whose state persists under $KNETLAB_HOME
        (default ~/.knetlab); --reset starts the host fresh. Stops at the first failing command
        and exits with its status (bash -e).
  sh --real (-c 'CMD; CMD' | FILE)
        the same script on a fresh real lab host (network namespaces of this machine; Linux,
        root), printing the real tools' output; nothing is kept. Each line goes to bash as root
        on this machine's file system: $(…), globs and variables are expanded by bash
  diff FILE
        run a scenario script (one command per line) on the emulator and on real network
        namespaces of this machine (root, Linux); print a unified diff of their normalised
        outputs; exit 0 when they agree. The real run hands each line to bash as root: a script
        with a shell expansion the emulator does not perform ($(…), \`…\`, $VAR, globs, ~, {a,b})
        is refused, naming the line
  clean stop real lab hosts a killed run left behind (they never touch this machine's own
        namespaces), remove their work directories and unregister the knetlab-* network
        namespaces the linux host backend registered on this machine
  demo  the seed 003 walkthrough: namespaces, veth pairs, a bridge, a ping and its packet walk
${FUZZ_USAGE}${KUBE_PROXY_USAGE}`;

function fail(message: string, status = 2): number {
  process.stderr.write(`${message}\n`);
  return status;
}

async function sh(args: string[]): Promise<number> {
  let host = 'default';
  let reset = false;
  let real = false;
  let script: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--host') {
      const v = args[++i];
      if (v === undefined) return fail('knetlab sh: --host needs a NAME');
      host = v;
    } else if (a === '--reset') {
      reset = true;
    } else if (a === '--real') {
      real = true;
    } else if (a === '-c') {
      const v = args[++i];
      if (v === undefined) return fail('knetlab sh: -c needs a script');
      script = v;
    } else if (a.startsWith('-')) {
      return fail(`knetlab sh: unknown option "${a}"\n\n${USAGE}`);
    } else {
      try {
        script = readFileSync(a, 'utf8');
      } catch (e) {
        return fail(`knetlab sh: cannot read script "${a}": ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`);
      }
    }
  }
  const bad = checkHostName(host);
  if (bad) return fail(bad);
  if (real) {
    if (script === undefined) return fail(`knetlab sh: give a script with -c 'CMD' or a FILE\n\n${USAGE}`);
    return shReal(script);
  }
  if (script === undefined) {
    if (reset) {
      removeHost(host);
      return 0;
    }
    return fail(`knetlab sh: give a script with -c 'CMD' or a FILE\n\n${USAGE}`);
  }
  const session = loadHost(host, reset);
  const status = session.run(script, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    writeFile: (p, d) => writeFileSync(p, d),
    readFile: (p) => {
      try {
        return readFileSync(p);
      } catch {
        return undefined;
      }
    },
  });
  saveHost(host, session);
  return status;
}

/**
 * `knetlab sh --real`: the script on a fresh real lab host (its own network, mount and PID
 * namespaces on this machine), as bash -e would run it; nothing is kept afterwards.
 */
async function shReal(script: string): Promise<number> {
  const why = realLabUnavailableReason();
  if (why) return fail(`knetlab sh --real: ${why}`);
  const lines = script.split('\n').map((l) => (l.trim() === '' || l.trim().startsWith('#') ? l : `set -e; ${l}`)).join('\n');
  for (const e of await runRealEntries(lines)) {
    process.stdout.write(e.stdout);
    process.stderr.write(e.stderr);
    if (e.exit !== 0) return e.exit;
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'sh':
      return await sh(rest);
    case 'clean': {
      const { stopped, removed, unregistered } = cleanLabs(undefined, { orphans: true });
      const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
      process.stdout.write(
        `knetlab clean: stopped ${plural(stopped, 'real lab host', 'real lab hosts')}, removed ${plural(removed, 'work directory', 'work directories')}, ` +
          `unregistered ${plural(unregistered, 'network namespace', 'network namespaces')}\n`,
      );
      return 0;
    }
    case 'diff':
      if (rest.length !== 1) return fail(`knetlab diff: give one scenario FILE\n\n${USAGE}`);
      return diffScenario(rest[0]!, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
    case 'fuzz':
      return fuzzCommand(rest, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
    case 'kube-proxy':
      return kubeProxy(rest, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), readStdin: () => readFileSync(0, 'utf8') });
    case 'demo':
      return runDemo({ write: (t) => process.stdout.write(t), colour: process.stdout.isTTY === true });
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      return fail(`knetlab: unknown command "${cmd}"\n\n${USAGE}`);
  }
}

// A reader that stops early (`knetlab demo | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
