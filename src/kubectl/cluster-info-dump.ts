// `kubectl cluster-info dump` (kubectl v1.36 pkg/cmd/clusterinfo/clusterinfo_dump.go): the nodes, then
// for kube-system and the current namespace (or --namespaces, or -A: every namespace) their events,
// replication controllers, services, daemon sets, deployments, replica sets and pods, each as the
// typed list the clientset returns, then every container's log between START/END lines. To stdout,
// or with --output-directory as a tree of files. Coarse: objects are printed as `kubectl get -o
// json` prints them (keys sorted; the typed printer keeps Go's field order, and shows managedFields,
// which knetlab does not keep).

import type { KubeObject, ListResult } from '../api/index.js';
import { type KubectlEnv, KubectlError, namespaceOf } from './env.js';
import { parseFlags } from './flags.js';
import { started } from './logs.js';
import { sortKeys } from './jsonpath.js';
import { toYaml } from './output.js';

/** What the dump lists in each namespace, in its order: resource, list kind, apiVersion, file name. */
const PER_NAMESPACE = [
  ['events', 'EventList', 'v1', 'events'],
  ['replicationcontrollers', 'ReplicationControllerList', 'v1', 'replication-controllers'],
  ['services', 'ServiceList', 'v1', 'services'],
  ['daemonsets', 'DaemonSetList', 'apps/v1', 'daemonsets'],
  ['deployments', 'DeploymentList', 'apps/v1', 'deployments'],
  ['replicasets', 'ReplicaSetList', 'apps/v1', 'replicasets'],
  ['pods', 'PodList', 'v1', 'pods'],
] as const;

/** The printers kubectl's PrintFlags offer, as its error lists them (sorted; checked with a real kubectl). */
const PRINTERS = [
  'go-template',
  'go-template-file',
  'json',
  'jsonpath',
  'jsonpath-as-json',
  'jsonpath-file',
  'name',
  'template',
  'templatefile',
  'yaml',
];

interface Container {
  readonly name: string;
}

export async function clusterInfoDump(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const p = parseFlags(argv, [
    { name: 'output', short: 'o', kind: 'string' },
    { name: 'output-directory', kind: 'string' },
    { name: 'namespaces', kind: 'strings' },
    { name: 'all-namespaces', short: 'A', kind: 'bool' },
    { name: 'pod-running-timeout', kind: 'string' },
  ]);
  const format = (p.flags.output as string | undefined) ?? 'json';
  if (format !== 'json' && format !== 'yaml') {
    if (!PRINTERS.includes(format))
      throw new KubectlError(
        `unable to match a printer suitable for the output format "${format}", allowed formats are: ${PRINTERS.join(',')}`,
      );
    throw new KubectlError(`knetlab: kubectl cluster-info dump -o ${format} is not emulated (json and yaml are)`);
  }
  const ext = `.${format}`;
  const dir = p.flags['output-directory'] as string | undefined;
  const toFiles = dir !== undefined && dir !== '' && dir !== '-';
  /** With --output-directory: each file's text by its path, written once the dump is whole. */
  const files = new Map<string, string>();
  const write = (name: string, text: string) => {
    if (!toFiles) return env.io.stdout(text);
    const path = `${dir.replace(/\/+$/, '')}/${name}`;
    files.set(path, (files.get(path) ?? '') + text);
  };
  const list = (kind: string, apiVersion: string, items: readonly KubeObject[], resourceVersion: string) => {
    // A typed list: its items carry no kind or apiVersion; JSON keeps the list's Go field order.
    const bare = items.map(({ apiVersion: _v, kind: _k, ...rest }) => rest);
    if (format === 'yaml') return toYaml({ apiVersion, items: bare, kind, metadata: { resourceVersion } });
    return `${JSON.stringify({ kind, apiVersion, metadata: { resourceVersion }, items: sortKeys(bare) }, null, 4)}\n`;
  };

  const nodes = env.client.list('nodes');
  write(`nodes${ext}`, list('NodeList', 'v1', nodes.items, nodes.resourceVersion));
  const namespaces =
    p.flags['all-namespaces'] === true
      ? env.client.list('namespaces').items.map((n) => n.metadata.name!)
      : ((p.flags.namespaces as string[] | undefined) ?? ['kube-system', namespaceOf(env, p.flags.namespace)]);
  for (const ns of namespaces) {
    let pods: readonly KubeObject[] = [];
    let last = nodes.resourceVersion;
    for (const [resource, kind, apiVersion, file] of PER_NAMESPACE) {
      const got = listOrNone(env, resource, ns, last);
      last = got.resourceVersion;
      if (resource === 'pods') pods = got.items;
      write(`${ns}/${file}${ext}`, list(kind, apiVersion, got.items, got.resourceVersion));
    }
    for (const pod of pods) {
      const spec = pod.spec as { initContainers?: Container[]; containers?: Container[] } | undefined;
      for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])])
        write(`${ns}/${pod.metadata.name}/logs.txt`, containerLog(env, pod, c.name));
    }
  }
  if (toFiles) {
    const { writeFile, makeDir } = env.io;
    if (!writeFile || !makeDir) throw new KubectlError("knetlab: this front end cannot write the client's files");
    for (const [path, text] of files) {
      makeDir(path.slice(0, path.lastIndexOf('/')));
      writeFile(path, new TextEncoder().encode(text));
    }
    env.io.stdout(`Cluster info dumped to ${dir}\n`);
  }
  return 0;
}

/**
 * The objects of `resource` in `ns`; none for a resource knetlab's API server does not serve
 * (replication controllers: the dump lists them, and a cluster made by kind has none), at the
 * resource version of the list before it.
 */
function listOrNone(env: KubectlEnv, resource: string, ns: string, before: string): Pick<ListResult, 'items' | 'resourceVersion'> {
  if (!env.client.resources().some((r) => r.resource === resource)) return { items: [], resourceVersion: before };
  return env.client.list(resource, ns);
}

/** One container's log between dump's START and END lines; a log the kubelet cannot give is its error, as the dump writes it. */
function containerLog(env: KubectlEnv, pod: KubeObject, container: string): string {
  const what = `container ${container} of pod ${pod.metadata.namespace}/${pod.metadata.name}`;
  let body: string;
  try {
    started(pod, container);
    if (!env.runtime) throw new Error("knetlab: this cluster has no nodes' data plane (kubelet and containers) to read logs from");
    body = env.runtime.logs(pod, container);
  } catch (e) {
    body = `Request log error: ${e instanceof Error ? e.message : String(e)}\n`;
  }
  return `==== START logs for ${what} ====\n${body}==== END logs for ${what} ====\n`;
}
