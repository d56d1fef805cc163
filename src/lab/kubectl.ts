// The `kubectl` family: kubectl's commands against the cluster of the kubeconfig's current context
// (kind writes it); the controllers settle after each command, as a real cluster would have by the
// time the next command is typed.
import { WELL_KNOWN_MANIFEST_URLS, wellKnownManifest } from '../addons/index.js';
import { connectionRefused, kubectl as runKubectl, KubectlError, kubectlMutates, type KubeConfig } from '../kubectl/index.js';
import type { CommandFamily } from './command.js';
import type { Lab } from './lab.js';
import { labRuntime } from './runtime.js';

function kubeconfig(lab: Lab): KubeConfig {
  const world = lab.kind;
  return {
    get currentContext() {
      return world.currentContext ?? '';
    },
    get contexts() {
      return world.contexts().map((name) => ({ name, cluster: name, user: name }));
    },
    server: (cluster) => {
      const kc = world.byContext(cluster);
      return kc ? `https://${kc.config.networking.apiServerAddress}:${kc.apiServerPort}` : undefined;
    },
    useContext: (name) => {
      world.currentContext = name;
    },
  };
}

/** What `-f https://…` reads: the manifests knetlab knows by address (the lab has no network). */
function readUrl(url: string): Uint8Array {
  const text = wellKnownManifest(url);
  if (text === undefined) {
    throw new KubectlError(
      `unable to read URL "${url}": knetlab has no network access and answers only these addresses: ${WELL_KNOWN_MANIFEST_URLS.join(', ')}; for any other manifest, apply a local copy with -f FILE`,
    );
  }
  return new TextEncoder().encode(text);
}

export const kubectl: CommandFamily = {
  name: 'kubectl',
  run: async (lab, argv, io) => {
    const config = kubeconfig(lab);
    const kc = lab.kind.byContext();
    const isConfig = argv.find((a) => !a.startsWith('-')) === 'config';
    if (!kc && !isConfig) {
      io.stderr(connectionRefused('localhost:8080'));
      return 1;
    }
    const client = kc?.cluster.api;
    const env = {
      client: client!,
      ...(kc ? { runtime: labRuntime(lab, io.signal) } : {}),
      io: {
        stdout: io.stdout,
        stderr: io.stderr,
        readFile: io.readFile,
        writeFile: io.writeFile,
        ...(io.readDir ? { readDir: io.readDir } : {}),
        ...(io.makeDir ? { makeDir: io.makeDir } : {}),
        readUrl,
        signal: io.signal,
        wait: (ms: number) => lab.wait(ms, io.signal),
        step: (withinMs: number) => lab.step(lab.clock.now() + withinMs),
        liveClock: lab.liveClock,
        ...(io.stdin ? { stdin: io.stdin } : {}),
        ...(io.listen ? { listen: io.listen } : {}),
        ...(io.client ? { client: io.client } : {}),
        ...(io.wallClock ? { wallClock: io.wallClock } : {}),
      },
      config,
    };
    try {
      return await runKubectl(env, argv);
    } finally {
      kc?.cluster.settle();
    }
  },
  mutates: (argv) => kubectlMutates(argv),
};
