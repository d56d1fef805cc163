// Read-mostly commands: api-resources, version, cluster-info, config get-contexts|use-context|
// current-context, rollout status|restart, wait --for.

import { rolloutHistory, rolloutPause, rolloutUndo } from './rollout-history.js';
import type { KubeObject } from '../api/index.js';
import { type KubectlEnv, KubectlError, errorText, namespaceOf, objectRef, parseGoDuration, waitUntil } from './env.js';
import { clusterInfoDump } from './cluster-info-dump.js';
import { parseFlags } from './flags.js';
import { parseSelection } from './resources.js';
import { tabulate } from './tabwriter.js';

export async function apiResources(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const p = parseFlags(argv, [
    { name: 'namespaced', kind: 'bool' },
    { name: 'api-group', kind: 'string' },
    { name: 'output', short: 'o', kind: 'string' },
    { name: 'no-headers', kind: 'bool' },
    { name: 'verbs', kind: 'strings' },
    { name: 'sort-by', kind: 'string' },
    { name: 'categories', kind: 'strings' },
    { name: 'cached', kind: 'bool' },
  ]);
  let rs = [...env.client.resources()];
  if (p.changed.has('namespaced')) rs = rs.filter((r) => r.namespaced === p.flags.namespaced);
  if (p.changed.has('api-group')) rs = rs.filter((r) => r.group === p.flags['api-group']);
  for (const v of (p.flags.verbs as string[] | undefined) ?? []) rs = rs.filter((r) => r.verbs.includes(v));
  for (const c of (p.flags.categories as string[] | undefined) ?? []) rs = rs.filter((r) => r.categories?.includes(c));
  // api-resources.go: stable sort by group, or by --sort-by name|kind.
  const by = p.flags['sort-by'] as string | undefined;
  const key = (r: (typeof rs)[number]) => (by === 'name' ? r.resource : by === 'kind' ? r.kind : r.group);
  rs = rs
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (key(a.r) < key(b.r) ? -1 : key(a.r) > key(b.r) ? 1 : a.i - b.i))
    .map((x) => x.r);
  if (p.flags.output === 'name') {
    for (const r of rs) env.io.stdout(`${r.group ? `${r.resource}.${r.group}` : r.resource}\n`);
    return 0;
  }
  const wide = p.flags.output === 'wide';
  const lines: string[] = [];
  if (!p.flags['no-headers'])
    lines.push(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])].join('\t'));
  for (const r of rs) {
    lines.push(
      [
        r.resource,
        r.shortNames.join(','),
        r.group ? `${r.group}/${r.version}` : r.version,
        String(r.namespaced),
        r.kind,
        ...(wide ? [`[${r.verbs.join(' ')}]`, (r.categories ?? []).join(',')] : []),
      ].join('\t'),
    );
  }
  env.io.stdout(tabulate(`${lines.join('\n')}\n`));
  return 0;
}

/** Client half of `kubectl version` (the kind image's Kubernetes; kustomize as bundled with kubectl 1.36 — unverified). */
export const CLIENT_VERSION = 'v1.36.1';
const KUSTOMIZE_VERSION = 'v5.7.1';

export async function version(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const p = parseFlags(argv, [
    { name: 'client', kind: 'bool' },
    { name: 'output', short: 'o', kind: 'string' },
  ]);
  const out = p.flags.output as string | undefined;
  if (out !== undefined && out !== 'yaml' && out !== 'json') throw new KubectlError(`--output must be 'yaml' or 'json'`);
  const client = {
    major: '1',
    minor: '36',
    gitVersion: CLIENT_VERSION,
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate: '',
    goVersion: 'go1.25.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
  const server = p.flags.client ? undefined : env.client.serverVersion();
  if (out === 'json') {
    env.io.stdout(
      `${JSON.stringify({ clientVersion: client, kustomizeVersion: KUSTOMIZE_VERSION, ...(server ? { serverVersion: server } : {}) }, null, 2)}\n`,
    );
    return 0;
  }
  env.io.stdout(`Client Version: ${CLIENT_VERSION}\nKustomize Version: ${KUSTOMIZE_VERSION}\n`);
  if (server) env.io.stdout(`Server Version: ${server.gitVersion}\n`);
  return 0;
}

export async function clusterInfo(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  if (argv[0] === 'dump') return clusterInfoDump(env, argv.slice(1));
  parseFlags(argv, []); // refuses flags cluster-info does not have
  const cfg = env.config;
  const ctx = cfg?.contexts.find((c) => c.name === cfg.currentContext);
  const server = (ctx && cfg?.server(ctx.cluster)) ?? 'https://127.0.0.1:6443';
  // cluster-info.go prints its names green and links yellow with go-colortext, also into a pipe.
  const line = (name: string, link: string) => `\x1b[0;32m${name}\x1b[0m is running at \x1b[0;33m${link}\x1b[0m\n`;
  let text = line('Kubernetes control plane', server);
  for (const svc of env.client.list('services', 'kube-system', { labelSelector: 'kubernetes.io/cluster-service=true' }).items) {
    const name = svc.metadata.labels?.['kubernetes.io/name'] ?? svc.metadata.name!;
    const ports = (svc as { spec?: { ports?: { name?: string; port: number }[] } }).spec?.ports ?? [];
    for (const port of ports.slice(0, 1)) {
      const suffix = port.name ? `:${port.name}` : '';
      text += line(name, `${server}/api/v1/namespaces/kube-system/services/${svc.metadata.name}${suffix}/proxy`);
    }
  }
  env.io.stdout(`${text}\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`);
  return 0;
}

export async function config(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const cfg = env.config;
  const p = parseFlags(rest, [
    { name: 'output', short: 'o', kind: 'string' },
    { name: 'no-headers', kind: 'bool' },
  ]);
  switch (sub) {
    case 'current-context':
      if (!cfg?.currentContext) throw new KubectlError('current-context is not set');
      env.io.stdout(`${cfg.currentContext}\n`);
      return 0;
    case 'use-context':
    case 'use': {
      const name = p.args[0];
      if (!name || !cfg?.contexts.some((c) => c.name === name)) throw new KubectlError(`no context exists with the name: "${name ?? ''}"`);
      cfg.useContext(name);
      env.io.stdout(`Switched to context "${name}".\n`);
      return 0;
    }
    case 'get-contexts': {
      const contexts = (cfg?.contexts ?? []).filter((c) => p.args.length === 0 || p.args.includes(c.name));
      for (const a of p.args) if (!contexts.some((c) => c.name === a)) throw new KubectlError(`context ${a} not found`);
      if (p.flags.output === 'name') {
        for (const c of contexts) env.io.stdout(`${c.name}\n`);
        return 0;
      }
      const lines = p.flags['no-headers'] ? [] : ['CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE'];
      for (const c of [...contexts].sort((a, b) => a.name.localeCompare(b.name)))
        lines.push([c.name === cfg?.currentContext ? '*' : '', c.name, c.cluster, c.user, c.namespace ?? ''].join('\t'));
      env.io.stdout(tabulate(`${lines.join('\n')}\n`));
      return 0;
    }
    default:
      throw new KubectlError(`unknown command "${sub ?? ''}" for "kubectl config"`);
  }
}

type Deploy = KubeObject & {
  spec?: { replicas?: number; template?: { metadata?: { annotations?: Record<string, string> } } };
  status?: Record<string, number | undefined> & { observedGeneration?: number };
};

/** rollout status's message for a Deployment (kubectl polymorphichelpers DeploymentStatusViewer). */
export function deploymentStatus(d: Deploy): { done: boolean; message: string; failed?: boolean } {
  const name = d.metadata.name;
  const s = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (s.observedGeneration ?? 0))
    return { done: false, message: `Waiting for deployment spec update to be observed...\n` };
  const progressing = (d.status as { conditions?: { type: string; reason?: string }[] } | undefined)?.conditions?.find(
    (c) => c.type === 'Progressing',
  );
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    return { done: true, failed: true, message: `deployment "${name}" exceeded its progress deadline` };
  const want = d.spec?.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  const replicas = s.replicas ?? 0;
  const available = s.availableReplicas ?? 0;
  if (updated < want)
    return {
      done: false,
      message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...\n`,
    };
  if (replicas > updated)
    return {
      done: false,
      message: `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...\n`,
    };
  if (available < updated)
    return {
      done: false,
      message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...\n`,
    };
  return { done: true, message: `deployment "${name}" successfully rolled out\n` };
}

type Workload = KubeObject & { spec?: Record<string, any>; status?: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** rollout status's message for a DaemonSet (DaemonSetStatusViewer). */
export function daemonSetStatus(ds: Workload): { done: boolean; message: string; failed?: boolean } {
  if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate')
    return { done: true, failed: true, message: 'rollout status is only available for RollingUpdate strategy type' };
  const s = ds.status ?? {};
  if ((ds.metadata.generation ?? 0) > (s.observedGeneration ?? 0))
    return { done: false, message: 'Waiting for daemon set spec update to be observed...\n' };
  const name = ds.metadata.name;
  const [updated, desired, available] = [s.updatedNumberScheduled ?? 0, s.desiredNumberScheduled ?? 0, s.numberAvailable ?? 0];
  if (updated < desired)
    return {
      done: false,
      message: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...\n`,
    };
  if (available < desired)
    return {
      done: false,
      message: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...\n`,
    };
  return { done: true, message: `daemon set "${name}" successfully rolled out\n` };
}

/** rollout status's message for a StatefulSet (StatefulSetStatusViewer). */
export function statefulSetStatus(sts: Workload): { done: boolean; message: string; failed?: boolean } {
  const strategy = sts.spec?.updateStrategy ?? {};
  if ((strategy.type ?? 'RollingUpdate') !== 'RollingUpdate')
    return { done: true, failed: true, message: 'rollout status is only available for RollingUpdate strategy type' };
  const s = sts.status ?? {};
  if (!s.observedGeneration || (sts.metadata.generation ?? 0) > s.observedGeneration)
    return { done: false, message: 'Waiting for statefulset spec update to be observed...\n' };
  const replicas: number = sts.spec?.replicas ?? 1;
  const [ready, updated] = [s.readyReplicas ?? 0, s.updatedReplicas ?? 0];
  if (ready < replicas) return { done: false, message: `Waiting for ${replicas - ready} pods to be ready...\n` };
  if (strategy.rollingUpdate) {
    const want = replicas - (strategy.rollingUpdate.partition ?? 0);
    if (strategy.rollingUpdate.partition !== undefined && updated < want)
      return {
        done: false,
        message: `Waiting for partitioned roll out to finish: ${updated} out of ${want} new pods have been updated...\n`,
      };
    return { done: true, message: `partitioned roll out complete: ${updated} new pods have been updated...\n` };
  }
  if (s.updateRevision !== s.currentRevision)
    return {
      done: false,
      message: `waiting for statefulset rolling update to complete ${updated} pods at revision ${s.updateRevision}...\n`,
    };
  return {
    done: true,
    message: `statefulset rolling update complete ${s.currentReplicas ?? 0} pods at revision ${s.currentRevision}...\n`,
  };
}

/** The status viewers kubectl has, by kind. */
const STATUS_VIEWERS: Record<string, (o: Workload) => { done: boolean; message: string; failed?: boolean }> = {
  Deployment: (o) => deploymentStatus(o as Deploy),
  DaemonSet: daemonSetStatus,
  StatefulSet: statefulSetStatus,
};

export async function rollout(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const p = parseFlags(rest, [
    { name: 'watch', short: 'w', kind: 'bool' },
    { name: 'timeout', kind: 'string' },
    { name: 'revision', kind: 'int' },
    { name: 'to-revision', kind: 'int' },
    { name: 'selector', short: 'l', kind: 'string' },
  ]);
  const ns = namespaceOf(env, p.flags.namespace);
  const sel = parseSelection(env.client, p.args);
  if (sel.length === 0 || sel[0]!.names.length === 0) throw new KubectlError(`required resource not specified`);
  const { info, names } = sel[0]!;
  switch (sub) {
    case 'restart': {
      const at = new Date(env.client.now()).toISOString().replace(/\.\d+Z$/, 'Z');
      for (const name of names) {
        env.client.patch(info.resource, ns, name, 'strategic', {
          spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } },
        });
        env.io.stdout(`${objectRef(info, name)} restarted\n`);
      }
      return 0;
    }
    case 'status': {
      const viewer = STATUS_VIEWERS[info.kind];
      if (!viewer) throw new KubectlError(`no status viewer has been implemented for ${info.kind}`);
      const name = names[0]!;
      let last = '';
      let failure: string | undefined;
      const check = () => {
        const st = viewer(env.client.get(info.resource, ns, name) as Workload);
        if (st.failed) failure = st.message;
        else if (st.message !== last) env.io.stdout(st.message);
        last = st.message;
        return st.done;
      };
      const fail = () => {
        if (failure) throw new KubectlError(failure);
      };
      if (p.flags.watch === false) {
        check();
        fail();
        return 0;
      }
      // --timeout=0 (the default) waits for as long as it takes.
      const t = p.flags.timeout ? parseGoDuration(p.flags.timeout as string) : 0;
      const ok = await waitUntil(
        env,
        check,
        (fn) => env.client.watch(info.resource, ns, { fieldSelector: `metadata.name=${name}` }, fn),
        t > 0 ? t : undefined,
      );
      fail();
      if (!ok && t > 0) throw new KubectlError('timed out waiting for the condition');
      return ok ? 0 : 1;
    }
    case 'history':
      for (const name of names) rolloutHistory(env, info, ns, name, p.flags.revision as number | undefined);
      return 0;
    case 'undo':
      for (const name of names) rolloutUndo(env, info, ns, name, (p.flags['to-revision'] as number | undefined) ?? 0);
      return 0;
    case 'pause':
    case 'resume':
      for (const name of names) rolloutPause(env, info, ns, name, sub === 'pause');
      return 0;
    default:
      throw new KubectlError(`unknown command "${sub ?? ''}" for "kubectl rollout"`);
  }
}

/** `kubectl wait --for=condition=Ready[=True] TYPE/NAME | --for=delete | --for=jsonpath=…`. */
export async function wait(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const p = parseFlags(argv, [
    { name: 'for', kind: 'string' },
    { name: 'timeout', kind: 'string' },
    { name: 'selector', short: 'l', kind: 'string' },
    { name: 'all', kind: 'bool' },
    { name: 'all-namespaces', short: 'A', kind: 'bool' },
    { name: 'filename', short: 'f', kind: 'strings' },
  ]);
  const forSpec = p.flags.for as string | undefined;
  if (!forSpec) throw new KubectlError(`--for must be specified`);
  const m = /^condition=([^=]+)(?:=(.*))?$/.exec(forSpec);
  if (!m && forSpec !== 'delete') throw new KubectlError(`unrecognized condition: "${forSpec}"`);
  const ns = namespaceOf(env, p.flags.namespace);
  const sel = parseSelection(env.client, p.args);
  const objs: { resource: string; kind: string; group: string; name: string; ns?: string }[] = [];
  for (const { info, names } of sel) {
    if (names.length > 0)
      for (const name of names)
        objs.push({ resource: info.resource, kind: info.kind, group: info.group, name, ns: info.namespaced ? ns : undefined });
    else
      for (const o of env.client.list(info.resource, info.namespaced ? ns : undefined, {
        labelSelector: p.flags.selector as string | undefined,
      }).items)
        objs.push({ resource: info.resource, kind: info.kind, group: info.group, name: o.metadata.name!, ns: o.metadata.namespace });
  }
  if (objs.length === 0) throw new KubectlError('no matching resources found');
  const met = (o: (typeof objs)[number]): boolean => {
    try {
      const obj = env.client.get(o.resource, o.ns, o.name) as KubeObject & { status?: { conditions?: { type: string; status: string }[] } };
      if (forSpec === 'delete') return false;
      const want = (m![2] ?? 'true').toLowerCase();
      return (obj.status?.conditions ?? []).some((c) => c.type.toLowerCase() === m![1]!.toLowerCase() && c.status.toLowerCase() === want);
    } catch (e) {
      if (forSpec === 'delete') return true;
      throw e;
    }
  };
  // kubectl wait: --timeout defaults to 30s; a negative one means a week.
  const timeout = parseGoDuration((p.flags.timeout as string | undefined) ?? '30s');
  let failed = false;
  for (const o of objs) {
    const ref = `${(o.group ? `${o.kind}.${o.group}` : o.kind).toLowerCase()}/${o.name}`;
    try {
      const ok = await waitUntil(
        env,
        () => met(o),
        (fn) => env.client.watch(o.resource, o.ns, { fieldSelector: `metadata.name=${o.name}` }, fn),
        timeout < 0 ? 7 * 24 * 3600_000 : timeout,
      );
      if (ok) env.io.stdout(`${ref} ${forSpec === 'delete' ? 'deleted' : 'condition met'}\n`);
      else {
        failed = true;
        env.io.stderr(`error: timed out waiting for the condition on ${o.group ? `${o.resource}.${o.group}` : o.resource}/${o.name}\n`);
      }
    } catch (e) {
      failed = true;
      env.io.stderr(errorText(e));
    }
  }
  return failed ? 1 : 0;
}
