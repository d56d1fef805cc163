#!/usr/bin/env node
// The knetlab command line. Commands that act on the lab (`knetlab sh`) are thin clients of the
// lab server of $KNETLAB_HOME (src/cli/client.ts), which they start when none runs; the rest
// (`serve`, `diff`, `demo`, `clean`, `sh --real`) load what they need on demand, so that a
// client loads almost nothing.
import { controlServer, knetlabHome, runOnServer } from './client.js';
const USAGE_HEAD = `usage: knetlab <command> [options]

commands:
  sh [--host NAME] [--reset] [--no-server] (-c 'CMD; CMD' | FILE)
        run commands (ip, bridge, brctl, sysctl, ping, tcpdump, iptables, ipset, ipvsadm,
        conntrack, curl, …) on an emulated Linux host of the lab in $KNETLAB_HOME (default
        ~/.knetlab); --reset starts the host fresh. Stops at the first failing command and exits
        with its status (bash -e). Runs on the lab server (started if none runs); --no-server
        runs it in this process instead
  serve [--listen 127.0.0.1:PORT]
        run the lab server in the foreground: it holds the lab in memory and listens on
        $KNETLAB_HOME/knetlab.sock (no network unless --listen, which needs the token in
        $KNETLAB_HOME/server.token); KNETLAB_CLOCK=manual moves virtual time only on waits
  server status|stop
        show or stop the lab server of $KNETLAB_HOME
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
  clean [--force]
        stop real lab hosts a killed run left behind (they never touch this machine's own
        namespaces), remove their work directories and unregister the knetlab-* network
        namespaces the linux host backend registered on this machine. A lab whose program
        still runs is skipped (and counted); --force stops it too
  docker|kind|kubectl ARGS…
        docker's, kind's and kubectl's commands on the lab's clusters (clients of the lab server)
  trace [--cluster NAME] [-n NS] FROM TO [icmp|tcp:PORT|udp:PORT]
        send one real probe from FROM (pod/NAME, node/NAME, host/NAME) to TO (the same, svc/NAME[:PORT]
        or IP[:PORT]) in a kind cluster and explain it hop by hop: devices, routes as ip route get
        prints them, neighbour and VXLAN FDB entries, encapsulation, every iptables rule matched,
        the Service endpoint chosen and why, NAT and conntrack (knetlab trace --help)
  shims DIR
        write \`kind\`, \`kubectl\` and \`docker\` executables into DIR that run knetlab's, so that
        PATH=DIR:$PATH bash lab.sh runs a seed's script unchanged
  demo [seed003]
        kind's default lab in this process: 1 control plane + 2 workers, 3 traefik/whoami pods,
        a ping from one pod to a pod on the other worker and its packet walk. seed003: the seed
        003 walkthrough (namespaces, veth pairs, a bridge, a ping and its walk)
`;

/** The whole usage; kube-proxy's part is loaded only when usage is shown, keeping clients light. */
async function usage(): Promise<string> {
  const { KUBE_PROXY_USAGE } = await import('./kube-proxy.js');
  const { FUZZ_USAGE } = await import('../fuzz/index.js');
  return `${USAGE_HEAD}${FUZZ_USAGE}${KUBE_PROXY_USAGE}`;
}

function fail(message: string, status = 2): number {
  process.stderr.write(`${message}\n`);
  return status;
}

async function sh(args: string[]): Promise<number> {
  if (args.includes('--real')) return shReal(args.filter((a) => a !== '--real'));
  if (args.includes('--no-server')) {
    const { runInProcess } = await import('../server/local.js');
    return runInProcess(knetlabHome(), ['sh', ...args.filter((a) => a !== '--no-server')], interruptOnCtrlC());
  }
  return runOnServer(['sh', ...args]);
}

/** An AbortSignal that the first Ctrl-C aborts (the second one ends the process). */
function interruptOnCtrlC(): AbortSignal {
  const c = new AbortController();
  process.on('SIGINT', () => (c.signal.aborted ? process.exit(130) : c.abort()));
  return c.signal;
}

/**
 * `knetlab sh --real`: the script on a fresh real lab host (its own network, mount and PID
 * namespaces on this machine), as bash -e would run it; nothing is kept afterwards.
 */
async function shReal(args: string[]): Promise<number> {
  const { readFileSync } = await import('node:fs');
  let script: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-c') {
      script = args[++i];
      if (script === undefined) return fail('knetlab sh: -c needs a script');
    } else if (a.startsWith('-')) {
      return fail(`knetlab sh: unknown option "${a}"\n\n${await usage()}`);
    } else {
      try {
        script = readFileSync(a, 'utf8');
      } catch (e) {
        return fail(
          `knetlab sh: cannot read script "${a}": ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`,
        );
      }
    }
  }
  if (script === undefined) return fail(`knetlab sh: give a script with -c 'CMD' or a FILE\n\n${await usage()}`);
  const { realLabUnavailableReason, runRealEntries } = await import('../reallab/index.js');
  const why = realLabUnavailableReason();
  if (why) return fail(`knetlab sh --real: ${why}`);
  const lines = script
    .split('\n')
    .map((l) => (l.trim() === '' || l.trim().startsWith('#') ? l : `set -e; ${l}`))
    .join('\n');
  for (const e of await runRealEntries(lines)) {
    process.stdout.write(e.stdout);
    process.stderr.write(e.stderr);
    if (e.exit !== 0) return e.exit;
  }
  return 0;
}

async function serveCommand(args: string[]): Promise<number> {
  let listen: { host: string; port: number } | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--listen') {
      const v = args[++i];
      const m = v === undefined ? null : /^(\[[0-9a-fA-F:]+\]|[^:]+):(\d{1,5})$/.exec(v);
      if (!m || Number(m[2]) > 65535) return fail(`knetlab serve: --listen needs ADDRESS:PORT (a loopback address), not "${v ?? ''}"`);
      listen = { host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port: Number(m[2]) };
    } else {
      return fail(`knetlab serve: unknown option "${a}"\n\n${await usage()}`);
    }
  }
  const clock = process.env.KNETLAB_CLOCK ?? 'live';
  if (clock !== 'live' && clock !== 'manual') return fail(`knetlab serve: KNETLAB_CLOCK="${clock}": use "live" or "manual"`);
  const { serve } = await import('../server/server.js');
  const { writeSync } = await import('node:fs');
  const log = (line: string) => {
    try {
      writeSync(2, `${new Date().toISOString()} ${line}\n`);
    } catch {
      // server.log on a full disk: the line is lost, the server keeps serving (a stream would die)
    }
  };
  const status = serve({
    home: knetlabHome(),
    clock,
    listen,
    log,
    onSignal: (stop) => {
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
  });
  // Clients still connected (a stop request's own) must not keep the process.
  process.exit(await status);
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'sh':
      return await sh(rest);
    case 'kind':
    case 'kubectl':
    case 'docker':
    case 'trace':
      // Families of the lab (src/lab/families.ts): clients of the lab server, as sh is.
      return await runOnServer([cmd, ...rest]);
    case 'shims': {
      if (rest.length !== 1) return fail(`knetlab shims: give one DIR\n\n${await usage()}`);
      const { writeShims } = await import('./shims.js');
      try {
        const written = writeShims(rest[0]!);
        process.stdout.write(`${written.join('\n')}\n`);
        return 0;
      } catch (e) {
        return fail((e as Error).message);
      }
    }
    case 'serve':
      return await serveCommand(rest);
    case 'server':
      if (rest.length !== 1 || (rest[0] !== 'status' && rest[0] !== 'stop'))
        return fail(`knetlab server: give "status" or "stop"\n\n${await usage()}`);
      return await controlServer(rest[0]);
    case 'clean': {
      if (rest.length > 1 || (rest.length === 1 && rest[0] !== '--force'))
        return fail(`knetlab clean: unknown argument "${rest.find((a) => a !== '--force') ?? rest[1]}" (only --force)\n`);
      const { cleanLabs } = await import('../reallab/index.js');
      const { stopped, removed, unregistered, skipped } = cleanLabs(undefined, { orphans: true, force: rest[0] === '--force' });
      const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
      process.stdout.write(
        `knetlab clean: stopped ${plural(stopped, 'real lab host', 'real lab hosts')}, removed ${plural(removed, 'work directory', 'work directories')}, ` +
          `unregistered ${plural(unregistered, 'network namespace', 'network namespaces')}` +
          (skipped > 0 ? `; skipped ${plural(skipped, 'live lab', 'live labs')} whose program still runs (--force stops them too)` : '') +
          '\n',
      );
      return 0;
    }
    case 'diff': {
      const { diffScenario } = await import('./diff.js');
      if (rest.length !== 1) return fail(`knetlab diff: give one scenario FILE\n\n${await usage()}`);
      return diffScenario(rest[0]!, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
    }
    case 'fuzz': {
      const { fuzzCommand } = await import('../fuzz/index.js');
      return fuzzCommand(rest, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
    }
    case 'kube-proxy': {
      const { kubeProxy } = await import('./kube-proxy.js');
      const { readFileSync } = await import('node:fs');
      return kubeProxy(rest, {
        stdout: (t) => process.stdout.write(t),
        stderr: (t) => process.stderr.write(t),
        readStdin: () => readFileSync(0, 'utf8'),
      });
    }
    case 'demo': {
      if (rest.length > 1 || (rest[0] !== undefined && rest[0] !== 'seed003'))
        return fail(`knetlab demo: unknown demo "${rest.join(' ')}" (there is the default and seed003)\n\n${await usage()}`);
      const tty = process.stdout.isTTY === true;
      const out = {
        write: (t: string) => void process.stdout.write(t),
        colour: tty,
        // on a terminal only: a status line that the step's own output then overwrites
        ...(tty
          ? { progress: (t: string | undefined) => void process.stdout.write(t === undefined ? '\r\x1b[K' : `\r\x1b[2m${t}\x1b[0m`) }
          : {}),
      };
      if (rest[0] === 'seed003') {
        const { runDemo } = await import('./demo.js');
        return runDemo(out);
      }
      const { runKindDemo } = await import('./demo-kind.js');
      return runKindDemo(out);
    }
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(await usage());
      return cmd === undefined ? 2 : 0;
    default:
      return fail(`knetlab: unknown command "${cmd}"\n\n${await usage()}`);
  }
}

// A reader that stops early (`knetlab demo | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
