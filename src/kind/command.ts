// The `kind` command line (v0.32.0): create/delete cluster(s), get clusters/nodes/kubeconfig, export
// kubeconfig — kind's flags, its status lines as printed when stderr is not a terminal (` • step  ...`
// then ` ✓ step`), its `ERROR: ` messages and exit status 1.
import { stringify } from 'yaml';
import { parseIpv4 } from '../wire/index.js';
import { DEFAULT_NAME, KindConfigError, defaults, parseKindConfig, validateKindConfig, type KindConfig } from './config.js';
import { clusterHostPorts, publishError, type HostPort, type PublishFailure } from './docker-run.js';
import { fullRef, imageId } from '../node/index.js';
import type { KindNode, KindNodeInfo, KindWorld } from './world.js';

export interface KindIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Uint8Array | undefined;
  readonly stdin?: Uint8Array;
  /** Lets virtual time pass (kind create cluster --wait); resolves false when interrupted. */
  wait?(ms: number): Promise<boolean>;
  /**
   * Publishes a node container's ports on the machine, as `docker run --publish` does (`bindIp` is
   * where a wildcard listen address is really bound); says which port failed and why, if one did.
   */
  publish?(
    node: KindNodeInfo,
    ports: readonly HostPort[],
    bindIp: string,
  ): Promise<{ readonly port: HostPort; readonly failure: PublishFailure } | undefined>;
}

/** kind's version (pkg/cmd/kind/version: versionCore) and the Go its release is built with (.go-version, [I]). */
const KIND_VERSION = '0.32.0';
const KIND_GO = 'go1.26.3';

const SALUTATIONS = [
  'Have a nice day! 👋',
  'Thanks for using kind! 😊',
  'Not sure what to do next? 😅  Check out https://kind.sigs.k8s.io/docs/user/quick-start/',
  'Have a question, bug, or feature request? Let us know! https://kind.sigs.k8s.io/#community 🙂',
];

class UsageError extends Error {}

/** pflag-style parsing of `--flag value`, `--flag=value` and boolean flags. */
function parseFlags(
  argv: readonly string[],
  spec: Record<string, 'string' | 'bool'>,
): { flags: Record<string, string | boolean>; args: string[] } {
  const flags: Record<string, string | boolean> = {};
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      args.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = (eq < 0 ? a : a.slice(0, eq)).replace(/^--?/, '');
    const kind = spec[name];
    if (!kind) throw new UsageError(a.startsWith('--') ? `unknown flag: --${name}` : `unknown shorthand flag: '${name[0]}' in ${a}`);
    if (kind === 'bool') flags[name] = eq < 0 ? true : a.slice(eq + 1) !== 'false';
    else if (eq >= 0) flags[name] = a.slice(eq + 1);
    else if (i + 1 < argv.length) flags[name] = argv[++i]!;
    else throw new UsageError(`flag needs an argument: --${name}`);
  }
  return { flags, args };
}

/** Go's time.ParseDuration for the forms kind users type (`60s`, `5m`, `1m30s`, `0`). */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    if (m.index !== consumed) return undefined;
    consumed += m[0].length;
    const mult = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2]!]!;
    total += Number(m[1]) * mult;
  }
  return consumed === text.length && consumed > 0 ? total : undefined;
}

/** Go's Duration.String for whole seconds and above (`1m0s`, `30s`, `1h0m0s`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h ? `${h}h${m}m${sec}s` : m ? `${m}m${sec}s` : `${sec}s`;
}

/** Runs `kind <argv>`; returns the exit status. */
export async function runKind(world: KindWorld, argv: readonly string[], io: KindIo): Promise<number> {
  try {
    const [verb, noun, ...rest] = argv;
    if (verb === 'create' && noun === 'cluster') return await createCluster(world, rest, io);
    if (verb === 'delete' && noun === 'cluster') return deleteCluster(world, rest, io);
    if (verb === 'delete' && noun === 'clusters') return deleteClusters(world, rest, io);
    if (verb === 'get' && noun === 'clusters') {
      parseFlags(rest, {});
      const names = world.names();
      if (!names.length) io.stderr('No kind clusters found.\n');
      for (const n of names) io.stdout(`${n}\n`);
      return 0;
    }
    if (verb === 'get' && noun === 'nodes') return getNodes(world, rest, io);
    if ((verb === 'get' || verb === 'export') && noun === 'kubeconfig') return kubeconfig(world, verb, rest, io);
    if (verb === 'load' && noun === 'docker-image') return loadDockerImage(world, rest, io);
    if (verb === 'version') {
      const { flags, args } = parseFlags(argv.slice(1), { q: 'bool', quiet: 'bool', help: 'bool' });
      if (args.length) throw new UsageError(`unknown command ${JSON.stringify(args[0])} for "kind version"`);
      io.stdout(flags.q || flags.quiet ? `${KIND_VERSION}\n` : `kind v${KIND_VERSION} ${KIND_GO} linux/amd64\n`);
      return 0;
    }
    if (verb === '--version') {
      // cobra's version template for the root command's Version
      io.stdout(`kind version ${KIND_VERSION}\n`);
      return 0;
    }
    if (verb === 'load' && noun === 'image-archive')
      throw new UsageError('knetlab: kind load image-archive is not emulated (knetlab reads no image archives; kind load docker-image is)');
    if (verb === undefined) throw new UsageError('a command is required');
    const known: Record<string, string[]> = {
      create: ['cluster'],
      delete: ['cluster', 'clusters'],
      get: ['clusters', 'nodes', 'kubeconfig'],
      export: ['kubeconfig'],
      load: ['docker-image', 'image-archive'],
    };
    if (!known[verb]) throw new UsageError(`unknown command "${verb}" for "kind"`);
    throw new UsageError(noun === undefined ? `Subcommand is required` : `unknown command "${noun}" for "kind ${verb}"`);
  } catch (e) {
    if (e instanceof UsageError || e instanceof KindConfigError) {
      io.stderr(`ERROR: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

async function createCluster(world: KindWorld, argv: readonly string[], io: KindIo): Promise<number> {
  const { flags, args } = parseFlags(argv, {
    name: 'string',
    config: 'string',
    image: 'string',
    wait: 'string',
    retain: 'bool',
    kubeconfig: 'string',
    help: 'bool',
    'publish-address': 'string',
  });
  if (args.length) throw new UsageError(`unknown command "${args[0]}" for "kind create cluster"`);
  const waitMs = flags.wait === undefined ? 0 : parseDuration(String(flags.wait));
  if (waitMs === undefined)
    throw new UsageError(`invalid argument "${flags.wait}" for "--wait" flag: time: invalid duration "${flags.wait}"`);
  let config;
  try {
    if (flags.config !== undefined) {
      const path = String(flags.config);
      const raw = path === '-' ? io.stdin : io.readFile(path);
      if (!raw) throw new KindConfigError(`error reading file: open ${path}: no such file or directory`);
      config = parseKindConfig(new TextDecoder().decode(raw));
    } else config = defaults({});
  } catch (e) {
    if (e instanceof KindConfigError) throw new KindConfigError(`failed to create cluster: ${e.message}`);
    throw e;
  }
  // --name and --image override the config (the flag wins), as kind's create options do.
  if (flags.name !== undefined) config.name = String(flags.name);
  else if (!config.name) config.name = DEFAULT_NAME;
  if (flags.image !== undefined) for (const n of config.nodes) n.image = String(flags.image);
  const errs = validateKindConfig(config);
  if (errs.length) throw new KindConfigError(`failed to create cluster: ${errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`}`);
  if (world.get(config.name))
    throw new KindConfigError(`failed to create cluster: node(s) already exist for a cluster with the name "${config.name}"`);
  // knetlab binds a wildcard listen address to loopback only, unless told otherwise.
  const bindIp = flags['publish-address'] === undefined ? '127.0.0.1' : String(flags['publish-address']);
  if (parseIpv4(bindIp) === undefined)
    throw new UsageError(`invalid argument "${bindIp}" for "--publish-address" flag: not an IPv4 address`);
  const step = (text: string, ok = true) => io.stderr(` • ${text}  ...\n ${ok ? '✓' : '✗'} ${text}\n`);
  const image = config.nodes[0]!.image.replace(/@sha256:.*$/, '');
  io.stderr(`Creating cluster "${config.name}" ...\n`);
  step(`Ensuring node image (${image}) 🖼`);
  const apiServerPort = config.networking.apiServerPort > 0 ? config.networking.apiServerPort : world.rng.int(32768, 61000);
  // a kubeadm config kind could not write or use: the steps up to it run, then kind deletes the nodes (nothing published here)
  const unusable = world.kubeadmFailure(config);
  const failed = unusable ? undefined : await provision(world, config, apiServerPort, bindIp, io);
  const planned = () => world.plannedNodes(config).map((n) => n.name);
  const deleted = (nodes: readonly string[]) => io.stderr(`Deleted nodes: [${nodes.map((n) => JSON.stringify(n)).join(' ')}]\n`);
  step(`Preparing nodes ${'📦 '.repeat(config.nodes.length)}`, !failed);
  if (failed) {
    deleted(failed.nodes);
    throw new KindConfigError(`failed to create cluster: ${failed.error}`);
  }
  const cps = config.nodes.filter((n) => n.role === 'control-plane').length;
  const workers = config.nodes.length - cps;
  if (cps > 1) step('Configuring the external load balancer ⚖️');
  const writing = 'Writing configuration 📜';
  if (unusable?.step !== writing) step(writing);
  if (unusable) {
    step(unusable.step, false);
    deleted(planned());
    throw new KindConfigError(`failed to create cluster: ${unusable.error}`);
  }
  const kc = world.create(config, { apiServerPort, publishAddress: bindIp });
  step('Starting control-plane 🕹️');
  if (!config.networking.disableDefaultCNI) step('Installing CNI 🔌');
  step('Installing StorageClass 💾');
  if (cps > 1) step('Joining more control-plane nodes 🎮');
  if (workers) step('Joining worker nodes 🚜');
  if (waitMs > 0) {
    // Nodes never become Ready without a node data plane: the wait runs out, as kind's does.
    const text = `Waiting ≤ ${formatDuration(waitMs)} for control-plane = Ready ⏳`;
    io.stderr(` • ${text}  ...\n`);
    if (io.wait) await io.wait(waitMs);
    kc.cluster.settle();
    io.stderr(` ✗ ${text}\n • WARNING: Timed out waiting for Ready ⚠️\n`);
  }
  io.stderr(`Set kubectl context to "kind-${config.name}"\n`);
  io.stderr(
    `You can now use your cluster with:\n\nkubectl cluster-info --context kind-${config.name}${flags.kubeconfig !== undefined ? ` --kubeconfig ${flags.kubeconfig}` : ''}\n\n`,
  );
  io.stderr(`${SALUTATIONS[world.rng.int(0, SALUTATIONS.length)]}\n`);
  return 0;
}

/**
 * docker run of every node container, ports published: the first port that cannot be bound fails its
 * node, and kind deletes all the nodes (nothing is left behind: the lab's cluster is not built).
 */
async function provision(
  world: KindWorld,
  config: KindConfig,
  apiServerPort: number,
  bindIp: string,
  io: KindIo,
): Promise<{ nodes: string[]; error: string } | undefined> {
  if (!io.publish) return undefined;
  const planned = world.plannedNodes(config);
  for (const { node, ports } of clusterHostPorts({ config, nodes: planned, apiServerPort })) {
    const failed = await io.publish(node, ports, bindIp);
    if (failed) return { nodes: planned.map((n) => n.name), error: publishError(config, node, ports, failed.port, failed.failure) };
  }
  return undefined;
}

function deleteCluster(world: KindWorld, argv: readonly string[], io: KindIo): number {
  const { flags, args } = parseFlags(argv, { name: 'string', kubeconfig: 'string', help: 'bool' });
  if (args.length) throw new UsageError(`unknown command "${args[0]}" for "kind delete cluster"`);
  const name = flags.name === undefined ? DEFAULT_NAME : String(flags.name);
  io.stderr(`Deleting cluster "${name}" ...\n`);
  const nodes = world.delete(name);
  if (nodes?.length) io.stderr(`Deleted nodes: [${nodes.map((n) => JSON.stringify(n)).join(' ')}]\n`);
  return 0;
}

function deleteClusters(world: KindWorld, argv: readonly string[], io: KindIo): number {
  const { flags, args } = parseFlags(argv, { all: 'bool', A: 'bool', kubeconfig: 'string', help: 'bool' });
  const all = !!(flags.all || flags.A);
  if (!all && !args.length) throw new UsageError('no cluster names provided');
  const names = all ? world.names() : args;
  const deleted = names.filter((n) => world.delete(n) !== undefined);
  io.stderr(`Deleted clusters: [${deleted.map((n) => JSON.stringify(n)).join(' ')}]\n`);
  return 0;
}

function getNodes(world: KindWorld, argv: readonly string[], io: KindIo): number {
  const { flags } = parseFlags(argv, { name: 'string', 'all-clusters': 'bool', A: 'bool', help: 'bool' });
  const allClusters = !!(flags['all-clusters'] || flags.A);
  const name = flags.name === undefined ? DEFAULT_NAME : String(flags.name);
  const clusters = allClusters ? world.names().map((n) => world.get(n)!) : [world.get(name)].filter((c) => c !== undefined);
  const nodes = clusters.sort((a, b) => b.createdSeq - a.createdSeq).flatMap((c) => [...c.nodes].reverse().map((n) => n.name));
  if (!nodes.length) io.stderr(allClusters ? 'No kind nodes for any cluster.\n' : `No kind nodes found for cluster "${name}".\n`);
  for (const n of nodes) io.stdout(`${n}\n`);
  return 0;
}

/**
 * `kind load docker-image IMAGE... [--name N] [--nodes A,B]` (v0.32.0 load/docker-image): each
 * node that lacks an image gets it from the host's Docker. knetlab's Docker has every image, by an
 * ID derived from its reference (node/images/reference.ts), so "not present locally" never
 * happens; a node has an image its pods run or one loaded before.
 */
function loadDockerImage(world: KindWorld, argv: readonly string[], io: KindIo): number {
  const { flags, args } = parseFlags(argv, { name: 'string', n: 'string', nodes: 'string', help: 'bool' });
  if (!args.length) throw new UsageError('a list of image names is required');
  const name = String(flags.name ?? flags.n ?? DEFAULT_NAME);
  const images = [...new Set(args)];
  // ListInternalNodes: the cluster's containers in docker ps order (newest first), no load balancer
  const nodes = [...(world.get(name)?.nodes ?? [])].reverse().filter((n) => n.role !== 'external-load-balancer');
  if (!nodes.length) throw new UsageError(`no nodes found for cluster ${JSON.stringify(name)}`);
  let candidates = nodes;
  if (flags.nodes !== undefined) {
    candidates = String(flags.nodes)
      .split(',')
      .map((n) => {
        const node = nodes.find((x) => x.name === n);
        if (!node) throw new UsageError(`unknown node: ${JSON.stringify(n)}`);
        return node;
      });
  }
  const selected = new Set<string>();
  for (const image of images) {
    const id = `sha256:${imageId(image)}`;
    let missing = false;
    for (const info of candidates) {
      const node = world.node(info.name);
      if (node && nodeHasImage(node, image)) continue;
      missing = true;
      selected.add(info.name);
      io.stderr(
        `Image: ${JSON.stringify(image)} with ID ${JSON.stringify(id)} not yet present on node ${JSON.stringify(info.name)}, loading...\n`,
      );
    }
    if (!missing && selected.size === 0)
      io.stderr(`Image: ${JSON.stringify(image)} with ID ${JSON.stringify(id)} found to be already present on all nodes.\n`);
  }
  // the archive of every image goes to each selected node (docker save of them all, ctr images import)
  for (const n of selected) for (const image of images) world.node(n)?.loadedImages.add(image);
  return 0;
}

/** Whether the node's containerd holds `image` under its name: loaded, or pulled for a pod. */
function nodeHasImage(node: KindNode, image: string): boolean {
  const { repo, tag } = fullRef(image);
  const same = (ref: string) => {
    const f = fullRef(ref);
    return f.repo === repo && f.tag === tag;
  };
  return [...node.loadedImages].some(same) || (node.processes?.sandboxes().some((s) => s.containers.some((c) => same(c.image))) ?? false);
}

/** A kubeconfig for the cluster, as kind writes it (credentials are placeholders: there is no TLS here). */
export function kubeconfigYaml(world: KindWorld, name: string, internal = false): string | undefined {
  const kc = world.get(name);
  if (!kc) return undefined;
  const ctx = `kind-${name}`;
  const cp = kc.nodes.find((n) => n.role === 'external-load-balancer') ?? kc.nodes.find((n) => n.role === 'control-plane')!;
  const server = internal ? `https://${cp.name}:6443` : `https://${kc.config.networking.apiServerAddress}:${kc.apiServerPort}`;
  const data = (label: string) => btoa(`knetlab emulated ${label} for ${ctx} (no TLS in the emulator)`);
  return stringify(
    {
      apiVersion: 'v1',
      clusters: [{ cluster: { 'certificate-authority-data': data('CA'), server }, name: ctx }],
      contexts: [{ context: { cluster: ctx, user: ctx }, name: ctx }],
      'current-context': ctx,
      kind: 'Config',
      preferences: {},
      users: [{ name: ctx, user: { 'client-certificate-data': data('client certificate'), 'client-key-data': data('client key') } }],
    },
    { indentSeq: false },
  );
}

function kubeconfig(world: KindWorld, verb: string, argv: readonly string[], io: KindIo): number {
  const { flags } = parseFlags(argv, { name: 'string', internal: 'bool', kubeconfig: 'string', help: 'bool' });
  const name = flags.name === undefined ? DEFAULT_NAME : String(flags.name);
  const text = kubeconfigYaml(world, name, !!flags.internal);
  if (!text)
    throw new UsageError(
      `could not locate any control plane nodes for cluster named '${name}'. Use the --name option to select a different cluster`,
    );
  if (verb === 'get') io.stdout(text);
  else {
    world.currentContext = `kind-${name}`;
    io.stderr(`Set kubectl context to "kind-${name}"\n`);
  }
  return 0;
}
