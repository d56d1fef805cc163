// `kubectl debug node/NAME [-it] --image=IMAGE [--profile=P] [-- CMD…]` as kubectl v1.3x's
// pkg/cmd/debug does it: a pod `node-debugger-NAME-xxxxx` (managed-by kubectl-debug, nodeName set,
// restartPolicy Never, tolerating everything) shaped by the profile (general, the default, and
// legacy: the node's network, PID and IPC namespaces and its root at /host; netadmin adds
// NET_ADMIN/NET_RAW, sysadmin privileged; baseline/restricted give up the host), then, with -i,
// attached: the container's program reads the client's stdin. `kubectl debug POD --image=IMAGE
// [--target=C]` adds an ephemeral container `debugger-xxxxx` through the pods/ephemeralcontainers
// subresource; the kubelet starts it in the pod's sandbox, so it shares the pod's network namespace.
// Coarse: --target does not put it in the target's PID namespace. --copy-to is not emulated and says so.

import type { KubeObject } from '../api/index.js';
import { Rng } from '../sim/index.js';
import { attachContainer } from './attach.js';
import { type KubectlEnv, KubectlError, namespaceOf } from './env.js';
import { parseFlags } from './flags.js';
import { resolveResource } from './resources.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PROFILES = ['legacy', 'general', 'baseline', 'restricted', 'netadmin', 'sysadmin'];
/** apimachinery util/rand's alphabet (nameSuffixFunc = utilrand.String). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** The restricted profile's securityContext: disallowRoot, dropCapabilities, no privilege escalation, seccomp RuntimeDefault. */
const RESTRICTED = {
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  allowPrivilegeEscalation: false,
  seccompProfile: { type: 'RuntimeDefault' },
};

/** apimachinery rand.String(5): a generated name's suffix. */
const suffix = (rng: Rng) => Array.from({ length: 5 }, () => ALPHANUMS[rng.int(0, ALPHANUMS.length)]).join('');

/** The profile's changes to the node debugging pod (profiles.go Apply, style node). */
function applyProfile(profile: string, pod: Obj): void {
  const c = pod.spec.containers[0] as Obj;
  const hostNamespaces = () => Object.assign(pod.spec, { hostNetwork: true, hostPID: true, hostIPC: true });
  const rootAtHost = () => {
    pod.spec.volumes = [{ name: 'host-root', hostPath: { path: '/' } }];
    c.volumeMounts = [{ name: 'host-root', mountPath: '/host' }];
  };
  switch (profile) {
    case 'legacy':
    case 'general':
      rootAtHost();
      hostNamespaces();
      return;
    case 'baseline':
      return;
    case 'restricted':
      c.securityContext = RESTRICTED;
      return;
    case 'netadmin':
      c.securityContext = { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } };
      hostNamespaces();
      return;
    case 'sysadmin':
      c.securityContext = { privileged: true };
      hostNamespaces();
      rootAtHost();
  }
}

export async function debug(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const dash = argv.indexOf('--');
  const p = parseFlags(dash < 0 ? argv : argv.slice(0, dash), [
    { name: 'stdin', short: 'i', kind: 'bool' },
    { name: 'tty', short: 't', kind: 'bool' },
    { name: 'image', kind: 'string' },
    { name: 'container', short: 'c', kind: 'string' },
    { name: 'profile', kind: 'string' },
    { name: 'quiet', short: 'q', kind: 'bool' },
    { name: 'attach', kind: 'bool' },
    { name: 'env', kind: 'strings' },
    { name: 'image-pull-policy', kind: 'string' },
    { name: 'arguments-only', kind: 'bool' },
    { name: 'copy-to', kind: 'string' },
    { name: 'target', kind: 'string' },
    { name: 'replace', kind: 'bool' },
    { name: 'same-node', kind: 'bool' },
    { name: 'set-image', kind: 'strings' },
    { name: 'share-processes', kind: 'bool' },
    { name: 'filename', short: 'f', kind: 'strings' },
    { name: 'custom', kind: 'string' },
  ]);
  const args = dash < 0 ? [] : argv.slice(dash + 1);
  const image = (p.flags.image as string | undefined) ?? '';
  const container = (p.flags.container as string | undefined) ?? '';
  const interactive = p.flags.stdin === true;
  const attach = p.changed.has('attach') ? p.flags.attach === true : interactive;
  const profile = (p.flags.profile as string | undefined) ?? 'general';
  if (!PROFILES.includes(profile)) throw new KubectlError(`unknown profile: ${profile}`);
  if (p.flags['custom'] !== undefined) throw new KubectlError('knetlab: kubectl debug --custom is not emulated');
  // Validate, in debug.go's order
  if (attach && p.changed.has('attach') && image === '' && container === '')
    throw new KubectlError('you must specify --container or create a new container using --image in order to attach.');
  if (p.flags['copy-to'] !== undefined)
    throw new KubectlError('knetlab: kubectl debug --copy-to (debugging a copy of a pod) is not emulated; debug a node with node/NAME');
  if (p.flags.replace === true) throw new KubectlError('--replace may only be used with --copy-to.');
  if (p.flags['same-node'] === true) throw new KubectlError('--same-node may only be used with --copy-to.');
  if (((p.flags['set-image'] as string[] | undefined) ?? []).length > 0)
    throw new KubectlError('--set-image may only be used with --copy-to.');
  if (image === '') throw new KubectlError('you must specify --image when not using --copy-to.');
  if (
    !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/.test(
      image.replace(/^[^/]*[.:][^/]*\//, ''),
    )
  ) {
    throw new KubectlError(`invalid image name "${image}": invalid reference format`);
  }
  if (p.args.length === 0) throw new KubectlError('NAME or filename is required for debug');
  const policy = p.flags['image-pull-policy'] as string | undefined;
  if (policy !== undefined && !['', 'Always', 'IfNotPresent', 'Never'].includes(policy))
    throw new KubectlError(`invalid image pull policy: ${policy}`);
  const targetContainer = (p.flags.target as string | undefined) ?? '';
  if (targetContainer !== '' && p.flags.quiet !== true)
    env.io.stdout(
      `Targeting container ${JSON.stringify(targetContainer)}. If you don't see processes from this container it may be because the container runtime doesn't support this feature.\n`,
    );
  if (p.flags.tty === true && !interactive) throw new KubectlError('-i/--stdin is required for containers with -t/--tty=true');
  if (profile === 'legacy')
    env.io.stderr(
      '--profile=legacy is deprecated and planned to be removed in v1.39. It is recommended to specify other profile, for example "--profile=general".\n',
    );
  const envVars = ((p.flags.env as string[] | undefined) ?? []).map((kv) => {
    const eq = kv.indexOf('=');
    if (eq < 0) throw new KubectlError(`--env: invalid environment variable: ${kv}`); // UNVERIFIED text
    return { name: kv.slice(0, eq), value: kv.slice(eq + 1) };
  });
  const ns = namespaceOf(env, p.flags.namespace);
  let status = 0;
  for (const target of p.args) {
    const slash = target.indexOf('/');
    const info = resolveResource(env.client, slash < 0 ? 'pods' : target.slice(0, slash));
    const common = {
      image,
      interactive,
      tty: p.flags.tty === true,
      attach,
      quiet: p.flags.quiet === true,
      profile,
      args,
      argsOnly: p.flags['arguments-only'] === true,
      env: envVars,
      ns,
      ...(policy ? { policy } : {}),
    };
    if (info.resource === 'pods') {
      const pod = env.client.get('pods', ns, target.slice(slash + 1));
      status = await debugPod(env, pod, { ...common, container, target: targetContainer });
      continue;
    }
    if (info.resource !== 'nodes')
      throw new KubectlError(`"${info.group ? `${info.group}/` : ''}${info.version}, Kind=${info.kind}" not supported by debug`);
    const node = env.client.get('nodes', undefined, target.slice(slash + 1));
    status = await debugNode(env, node, { ...common, container: container || 'debugger' });
  }
  return status;
}

interface DebugCommon {
  image: string;
  interactive: boolean;
  tty: boolean;
  attach: boolean;
  quiet: boolean;
  profile: string;
  args: string[];
  argsOnly: boolean;
  env: { name: string; value: string }[];
  ns: string;
  policy?: string;
}

interface NodeDebug extends DebugCommon {
  container: string;
}

interface PodDebug extends DebugCommon {
  /** -c: the debug container's name; empty for a generated one. */
  container: string;
  /** --target: the container whose namespaces it targets. */
  target: string;
}

async function debugNode(env: KubectlEnv, node: KubeObject, o: NodeDebug): Promise<number> {
  const nodeName = node.metadata.name!;
  // kubectl draws the suffix at random; here from the node and the virtual time, drawing again while
  // the name is taken (two sessions at one instant of a manual clock would otherwise collide)
  const rng = new Rng(`kubectl-debug/${nodeName}/${env.client.now()}`);
  const taken = new Set(env.client.list('pods', o.ns).items.map((p) => p.metadata.name));
  let name: string;
  do name = `node-debugger-${nodeName}-${suffix(rng)}`;
  while (taken.has(name));
  if (!o.quiet) env.io.stdout(`Creating debugging pod ${name} with container ${o.container} on node ${nodeName}.\n`);
  const c: Obj = { name: o.container, image: o.image, terminationMessagePolicy: 'File' };
  if (o.env.length) c.env = o.env;
  if (o.policy) c.imagePullPolicy = o.policy;
  if (o.interactive) c.stdin = true;
  if (o.tty) c.tty = true;
  if (o.args.length) c[o.argsOnly ? 'args' : 'command'] = o.args;
  const pod: Obj = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: o.ns, labels: { 'app.kubernetes.io/managed-by': 'kubectl-debug' } },
    spec: { containers: [c], nodeName, restartPolicy: 'Never', tolerations: [{ operator: 'Exists' }] },
  };
  applyProfile(o.profile, pod);
  const created = env.client.create(pod as KubeObject);
  return o.attach ? attachContainer(env, created, o.container, o) : 0;
}

/**
 * `kubectl debug POD`: an ephemeral container added to the pod (debugByEphemeralContainer), named
 * `debugger-xxxxx` unless -c names it, shaped by the profile, patched in through the
 * pods/ephemeralcontainers subresource; then, with -i, attached.
 */
async function debugPod(env: KubectlEnv, pod: KubeObject, o: PodDebug): Promise<number> {
  const spec = pod.spec as Obj;
  const taken = new Set(
    [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])].map((c: Obj) => c.name),
  );
  let name = o.container;
  if (name === '') {
    const rng = new Rng(`kubectl-debug/${pod.metadata.uid}/${env.client.now()}`);
    do name = `debugger-${suffix(rng)}`;
    while (taken.has(name));
    if (!o.quiet) env.io.stdout(`Defaulting debug container name to ${name}.\n`);
  }
  const ec: Obj = { name, image: o.image, terminationMessagePolicy: 'File' };
  if (o.env.length) ec.env = o.env;
  if (o.policy) ec.imagePullPolicy = o.policy;
  if (o.interactive) ec.stdin = true;
  if (o.tty) ec.tty = true;
  if (o.args.length) ec[o.argsOnly ? 'args' : 'command'] = o.args;
  if (o.target !== '') ec.targetContainerName = o.target;
  const securityContext = ephemeralSecurity(o.profile);
  if (securityContext) ec.securityContext = securityContext;
  const patched = env.client.patch(
    'pods',
    pod.metadata.namespace,
    pod.metadata.name!,
    'strategic',
    { spec: { ephemeralContainers: [ec] } },
    { subresource: 'ephemeralcontainers' },
  );
  return o.attach ? attachContainer(env, patched, name, o) : 0;
}

/** The profile's securityContext for an ephemeral container (profiles.go Apply, style ephemeral). */
function ephemeralSecurity(profile: string): Obj | undefined {
  switch (profile) {
    case 'general':
      return { capabilities: { add: ['SYS_PTRACE'] } };
    case 'netadmin':
      return { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } };
    case 'sysadmin':
      return { privileged: true };
    case 'restricted':
      return RESTRICTED;
    default:
      return undefined;
  }
}
