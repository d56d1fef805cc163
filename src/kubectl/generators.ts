// Objects kubectl builds itself: `create deployment|job|cronjob|service|configmap|namespace|secret` (secrets in
// create-secret.ts), `run`, `expose`
// (the shapes kubectl's generators give them: labels app=NAME / run=NAME, empty resources and
// strategy, port names `80-8080`).

import { ApiError, type KubeObject, type ResourceInfo } from '../api/index.js';
import { buildSecret, SECRET_FLAGS, SECRET_KINDS, type SecretKind } from './create-secret.js';
import { type KubectlEnv, KubectlError, errorText, namespaceOf, objectRef, usageError } from './env.js';
import { type FlagSpec, dryRunSuffix, parseFlags } from './flags.js';
import { createFromFiles } from './apply.js';
import { parseSelection } from './resources.js';
import { attachContainer, type AttachOptions } from './attach.js';
import { del } from './verbs.js';
import { toJson, toYaml } from './output.js';

const COMMON: FlagSpec[] = [
  { name: 'dry-run', kind: 'string' },
  { name: 'output', short: 'o', kind: 'string' },
  { name: 'save-config', kind: 'bool' },
  { name: 'validate', kind: 'string' },
  { name: 'field-manager', kind: 'string' },
];

/** create deployment's container name: the image's last path element without tag or digest. */
function containerName(image: string): string {
  const last = image.split('/').at(-1)!.split('@')[0]!.split(':')[0]!;
  return last.replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'container';
}

function emit(env: KubectlEnv, obj: KubeObject, verb: string, flags: Record<string, unknown>): number {
  const info = env.client
    .resources()
    .find((r) => r.kind === obj.kind && (obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '') === r.group)!;
  const dry = flags['dry-run'];
  let stored = obj;
  if (dry !== 'client') stored = env.client.create(obj, { dryRun: dry === 'server', fieldValidation: 'Strict' });
  else if (flags.namespace === undefined) {
    // the generators set metadata.namespace only with -n (EnforceNamespace); the create call is
    // made in the context's namespace either way, so only what is printed leaves it out
    const { namespace: _, ...metadata } = obj.metadata;
    stored = { ...obj, metadata } as KubeObject;
  }
  const out = flags.output as string | undefined;
  if (out === 'yaml') env.io.stdout(toYaml(stored));
  else if (out === 'json') env.io.stdout(toJson(stored));
  else if (out === 'name') env.io.stdout(`${objectRef(info, stored.metadata.name!)}\n`);
  else env.io.stdout(`${objectRef(info, stored.metadata.name!)} ${verb}${dryRunSuffix(dry)}\n`);
  return 0;
}

/**
 * create_job.go createJobFromCronJob: the CronJob's job template run once by hand, annotated
 * `cronjob.kubernetes.io/instantiate: manual` and owned by the CronJob (controller, without
 * blockOwnerDeletion); `--from` is read as the builder reads `TYPE/NAME` or `TYPE` (one object).
 */
function jobFromCronJob(env: KubectlEnv, name: string, from: string, flags: Record<string, unknown>): KubeObject {
  const namespace = namespaceOf(env, flags.namespace);
  const sel = parseSelection(env.client, [from])[0]!;
  const found = sel.names.length
    ? sel.names.map((n) => env.client.get(sel.info.resource, sel.info.namespaced ? namespace : undefined, n))
    : env.client.list(sel.info.resource, sel.info.namespaced ? namespace : undefined).items;
  if (found.length !== 1) throw new KubectlError('from must be an existing cronjob');
  const cj = found[0] as KubeObject & { spec?: { jobTemplate?: { metadata?: Record<string, any>; spec?: unknown } } };
  if (sel.info.kind !== 'CronJob' || sel.info.group !== 'batch')
    throw new KubectlError(`unknown object type *${sel.info.version}.${sel.info.kind}`);
  const tmpl = cj.spec?.jobTemplate ?? {};
  const labels = tmpl.metadata?.labels;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace,
      annotations: { 'cronjob.kubernetes.io/instantiate': 'manual', ...(tmpl.metadata?.annotations ?? {}) },
      ...(labels ? { labels } : {}),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name!, uid: cj.metadata.uid!, controller: true }],
    },
    spec: structuredClone(tmpl.spec ?? {}),
    status: {},
  } as KubeObject;
}

/** The one NAME a `kubectl create SUBCOMMAND` takes (`command`: its path after kubectl). */
function oneName(args: string[], command: string): string {
  if (args.length !== 1) throw usageError(command, `exactly one NAME is required, got ${args.length}`);
  return args[0]!;
}

export async function create(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const sub = argv.find((a) => !a.startsWith('-'));
  const rest = sub === undefined ? [...argv] : argv.filter((_, i) => i !== argv.indexOf(sub));
  const ns = (flags: Record<string, unknown>) => namespaceOf(env, flags.namespace);
  try {
    switch (sub) {
      case 'deployment':
      case 'deploy': {
        const p = parseFlags(rest, [
          ...COMMON,
          { name: 'image', kind: 'strings' },
          { name: 'replicas', short: 'r', kind: 'int' },
          { name: 'port', kind: 'int' },
        ]);
        const name = oneName(p.args, 'create deployment');
        const images = (p.flags.image as string[] | undefined) ?? [];
        if (images.length === 0) throw new KubectlError(`required flag(s) "image" not set`);
        const labels = { app: name };
        const containers = images.map((image) => ({
          image,
          name: containerName(image),
          resources: {},
          ...(p.flags.port !== undefined ? { ports: [{ containerPort: p.flags.port }] } : {}),
        }));
        return emit(
          env,
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name, namespace: ns(p.flags), labels },
            spec: {
              replicas: (p.flags.replicas as number | undefined) ?? 1,
              selector: { matchLabels: labels },
              strategy: {},
              template: { metadata: { labels }, spec: { containers } },
            },
            status: {},
          } as KubeObject,
          'created',
          p.flags,
        );
      }
      case 'job': {
        // kubectl create job NAME --image=IMAGE [-- COMMAND [ARG...]]: one container named after the
        // Job, the words after -- its command, restartPolicy Never.
        const dd = rest.indexOf('--');
        const p = parseFlags(dd >= 0 ? rest.slice(0, dd) : rest, [
          ...COMMON,
          { name: 'image', kind: 'string' },
          { name: 'from', kind: 'string' },
        ]);
        const name = oneName(p.args, 'create job');
        const image = p.flags.image as string | undefined;
        const from = p.flags.from as string | undefined;
        if (!image === !from) throw new KubectlError('either --image or --from must be specified');
        const command = dd >= 0 ? rest.slice(dd + 1) : [];
        if (from) {
          if (command.length) throw new KubectlError('cannot specify --from and command');
          return emit(env, jobFromCronJob(env, name, from, p.flags), 'created', p.flags);
        }
        return emit(
          env,
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: { name, namespace: ns(p.flags) },
            spec: {
              template: {
                metadata: {},
                spec: { containers: [{ name, image, ...(command.length ? { command } : {}), resources: {} }], restartPolicy: 'Never' },
              },
            },
            status: {},
          } as KubeObject,
          'created',
          p.flags,
        );
      }
      case 'cronjob':
      case 'cj': {
        // kubectl create cronjob NAME --image=IMAGE --schedule=SPEC [--restart=OnFailure|Never] [-- COMMAND [ARG...]]:
        // the job template named after the CronJob, one container named after it, restartPolicy OnFailure.
        const dd = rest.indexOf('--');
        const p = parseFlags(dd >= 0 ? rest.slice(0, dd) : rest, [
          ...COMMON,
          { name: 'image', kind: 'string' },
          { name: 'schedule', kind: 'string' },
          { name: 'restart', kind: 'string' },
        ]);
        const missing = ['image', 'schedule'].filter((f) => !p.changed.has(f));
        if (missing.length) throw new KubectlError(`required flag(s) ${missing.map((f) => `"${f}"`).join(', ')} not set`);
        const name = oneName(p.args, 'create cronjob');
        const command = dd >= 0 ? rest.slice(dd + 1) : [];
        const container = { name, image: p.flags.image as string, ...(command.length ? { command } : {}), resources: {} };
        return emit(
          env,
          {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            metadata: { name, namespace: ns(p.flags) },
            spec: {
              schedule: p.flags.schedule,
              jobTemplate: {
                metadata: { name },
                spec: {
                  template: { metadata: {}, spec: { containers: [container], restartPolicy: (p.flags.restart as string) || 'OnFailure' } },
                },
              },
            },
            status: {},
          } as KubeObject,
          'created',
          p.flags,
        );
      }
      case 'namespace':
      case 'ns': {
        const p = parseFlags(rest, COMMON);
        return emit(
          env,
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: oneName(p.args, 'create namespace') },
            spec: {},
            status: {},
          } as KubeObject,
          'created',
          p.flags,
        );
      }
      case 'configmap':
      case 'cm': {
        const p = parseFlags(rest, [
          ...COMMON,
          { name: 'from-literal', kind: 'strings' },
          { name: 'from-file', kind: 'strings' },
          { name: 'from-env-file', kind: 'strings' },
          { name: 'append-hash', kind: 'bool' },
        ]);
        const name = oneName(p.args, 'create configmap');
        const data: Record<string, string> = {};
        for (const lit of (p.flags['from-literal'] as string[] | undefined) ?? []) {
          const eq = lit.indexOf('=');
          if (eq <= 0) throw new KubectlError(`invalid literal source ${lit}, expected key=value`);
          const k = lit.slice(0, eq);
          if (k in data)
            throw new KubectlError(`cannot add key ${k}, another key by that name already exists in Data for ConfigMap "${name}"`);
          data[k] = lit.slice(eq + 1);
        }
        for (const f of (p.flags['from-file'] as string[] | undefined) ?? []) {
          const eq = f.indexOf('=');
          const [key, path] = eq > 0 ? [f.slice(0, eq), f.slice(eq + 1)] : [f.split('/').at(-1)!, f];
          const bytes = env.io.readFile(path);
          if (!bytes) throw new KubectlError(`error reading ${path}: no such file or directory`);
          data[key] = new TextDecoder().decode(bytes);
        }
        return emit(
          env,
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name, namespace: ns(p.flags) },
            ...(Object.keys(data).length ? { data } : {}),
          } as KubeObject,
          'created',
          p.flags,
        );
      }
      case 'secret': {
        const kind = rest.find((a) => !a.startsWith('-'));
        if (!SECRET_KINDS.includes(kind as SecretKind))
          throw new KubectlError(`unknown command "${kind ?? ''}" for "kubectl create secret"`);
        const p = parseFlags(
          rest.filter((_, i) => i !== rest.indexOf(kind!)),
          [...COMMON, ...SECRET_FLAGS],
        );
        if (p.flags['append-hash']) throw new KubectlError('"kubectl create secret --append-hash" is not emulated by knetlab');
        const secret = buildSecret(env.io, kind as SecretKind, oneName(p.args, `create secret ${kind}`), p.flags, ns(p.flags));
        try {
          return emit(env, secret, 'created', p.flags);
        } catch (e) {
          // create_secret.go wraps the API server's refusal
          if (e instanceof ApiError) throw new KubectlError(`failed to create secret ${e.message}`);
          throw e;
        }
      }
      case 'service':
      case 'svc': {
        const kind = rest.find((a) => !a.startsWith('-'));
        const rest2 = rest.filter((_, i) => i !== rest.indexOf(kind ?? ''));
        const p = parseFlags(rest2, [
          ...COMMON,
          { name: 'tcp', kind: 'strings' },
          { name: 'node-port', kind: 'int' },
          { name: 'clusterip', kind: 'string' },
          { name: 'external-name', kind: 'string' },
        ]);
        const types: Record<string, string> = {
          clusterip: 'ClusterIP',
          nodeport: 'NodePort',
          loadbalancer: 'LoadBalancer',
          externalname: 'ExternalName',
        };
        if (!kind || !types[kind]) throw new KubectlError(`unknown command "${kind ?? ''}" for "kubectl create service"`);
        const name = oneName(p.args, `create service ${kind}`);
        const ports = ((p.flags.tcp as string[] | undefined) ?? []).map((spec) => {
          const [port, target] = spec.split(':');
          const portNum = parseInt(port!, 10);
          if (!/^\d+$/.test(port!)) throw new KubectlError(`invalid port ${spec}`);
          const tp = target === undefined ? portNum : /^\d+$/.test(target) ? parseInt(target, 10) : target;
          return {
            name: `${port}-${target ?? port}`,
            port: portNum,
            protocol: 'TCP',
            targetPort: tp,
            ...(kind === 'nodeport' && p.flags['node-port'] !== undefined ? { nodePort: p.flags['node-port'] } : {}),
          };
        });
        if (kind !== 'externalname' && ports.length === 0 && p.flags.clusterip !== 'None')
          throw new KubectlError(`at least one tcp port specifier must be provided`);
        const spec: Record<string, unknown> = { type: types[kind] };
        if (kind === 'externalname') {
          if (!p.flags['external-name']) throw new KubectlError(`required flag(s) "external-name" not set`);
          spec.externalName = p.flags['external-name'];
        } else {
          spec.ports = ports;
          spec.selector = { app: name };
          if (p.flags.clusterip) spec.clusterIP = p.flags.clusterip;
        }
        return emit(
          env,
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name, namespace: ns(p.flags), labels: { app: name } },
            spec,
            status: { loadBalancer: {} },
          } as KubeObject,
          'created',
          p.flags,
        );
      }
      case undefined:
        return createFromFiles(env, rest);
      default:
        if (argv.some((a) => a === '-f' || a.startsWith('--filename') || a.startsWith('-f'))) return createFromFiles(env, argv);
        throw new KubectlError(`unknown command "${sub}" for "kubectl create"`);
    }
  } catch (e) {
    env.io.stderr(errorText(e, 'create'));
    return 1;
  }
}

export async function run(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const dd = argv.indexOf('--');
  const cmdArgs = dd >= 0 ? argv.slice(dd + 1) : [];
  const p = parseFlags(dd >= 0 ? argv.slice(0, dd) : argv, [
    ...COMMON,
    { name: 'image', kind: 'string' },
    { name: 'port', kind: 'string' },
    { name: 'labels', short: 'l', kind: 'string' },
    { name: 'env', kind: 'strings' },
    { name: 'restart', kind: 'string' },
    { name: 'command', kind: 'bool' },
    { name: 'rm', kind: 'bool' },
    { name: 'stdin', short: 'i', kind: 'bool' },
    { name: 'tty', short: 't', kind: 'bool' },
    { name: 'image-pull-policy', kind: 'string' },
    { name: 'expose', kind: 'bool' },
    { name: 'overrides', kind: 'string' },
    { name: 'annotations', kind: 'strings' },
    { name: 'privileged', kind: 'bool' },
    { name: 'attach', kind: 'bool' },
    { name: 'quiet', short: 'q', kind: 'bool' },
  ]);
  if (p.args.length === 0) throw new KubectlError(`NAME is required for run`);
  const name = p.args[0]!;
  const image = p.flags.image as string | undefined;
  if (!image) throw new KubectlError(`required flag(s) "image" not set`);
  // Validate's checks of the attached forms, in run.go's order
  const interactive = p.flags.stdin === true;
  const attach = p.changed.has('attach') ? p.flags.attach === true : interactive;
  if (p.flags.tty === true && !interactive) throw new KubectlError('-i/--stdin is required for containers with -t/--tty=true');
  if (p.flags.rm === true && !attach) throw new KubectlError('--rm should only be used for attached containers');
  if (attach && p.flags['dry-run'] !== undefined && p.flags['dry-run'] !== 'none')
    throw new KubectlError("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
  const labels: Record<string, string> = {};
  if (p.flags.labels)
    for (const kv of String(p.flags.labels).split(',')) {
      const [k, v] = kv.split('=');
      labels[k!] = v ?? '';
    }
  else labels.run = name;
  const restart = (p.flags.restart as string | undefined) ?? 'Always';
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw new KubectlError(`invalid restart policy: ${restart}`);
  const container: Record<string, unknown> = { image, name, resources: {} };
  const extra = [...p.args.slice(1), ...cmdArgs];
  if (extra.length > 0) container[p.flags.command ? 'command' : 'args'] = extra;
  if (p.flags.port) container.ports = [{ containerPort: parseInt(String(p.flags.port), 10) }];
  const envs = (p.flags.env as string[] | undefined) ?? [];
  if (envs.length) container.env = envs.map((e) => ({ name: e.split('=')[0], value: e.slice(e.indexOf('=') + 1) }));
  if (p.flags['image-pull-policy']) container.imagePullPolicy = p.flags['image-pull-policy'];
  if (p.flags.stdin) container.stdin = true;
  if (p.flags.tty) container.tty = true;
  const ns = namespaceOf(env, p.flags.namespace);
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { containers: [container], dnsPolicy: 'ClusterFirst', restartPolicy: restart },
    status: {},
  } as KubeObject;
  if (!attach) return emit(env, pod, 'created', p.flags);
  return runAttached(env, env.client.create(pod, { fieldValidation: 'Strict' }), {
    ns,
    interactive,
    tty: p.flags.tty === true,
    quiet: p.flags.quiet === true,
    remove: p.flags.rm === true,
  });
}

/**
 * `kubectl run -i` (or --attach): attached to the pod's one container rather than printing it; with
 * restartPolicy Never the pod's end is kubectl's (a failed container's exit code, and `pod NS/NAME
 * terminated (Error)`); --rm deletes the pod afterwards, as kubectl's deferred removal does.
 */
async function runAttached(env: KubectlEnv, pod: KubeObject, o: AttachOptions & { remove: boolean }): Promise<number> {
  const name = pod.metadata.name!;
  let status = await attachContainer(env, pod, name, o);
  const after = env.client.get('pods', o.ns, name);
  const st = after.status as { phase?: string; containerStatuses?: { state?: { terminated?: { exitCode: number; reason?: string } } }[] };
  const ended = st.containerStatuses?.[0]?.state?.terminated;
  if (status === 0 && (after.spec as { restartPolicy?: string }).restartPolicy === 'Never' && st.phase === 'Failed') {
    status = ended && ended.exitCode !== 0 ? ended.exitCode : 1;
  }
  if (o.remove) await del(env, ['pod', name, '-n', o.ns]);
  if (status !== 0 && st.phase === 'Failed')
    env.io.stderr(
      ended && ended.exitCode !== 0
        ? `pod ${o.ns}/${name} terminated (${ended.reason ?? 'Error'})\n`
        : `error: pod ${o.ns}/${name} failed with unknown exit code\n`,
    );
  return status;
}

export async function expose(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const p = parseFlags(argv, [
    ...COMMON,
    { name: 'port', kind: 'string' },
    { name: 'target-port', kind: 'string' },
    { name: 'protocol', kind: 'string' },
    { name: 'name', kind: 'string' },
    { name: 'type', kind: 'string' },
    { name: 'selector', kind: 'string' },
    { name: 'labels', short: 'l', kind: 'string' },
    { name: 'external-ip', kind: 'string' },
    { name: 'cluster-ip', kind: 'string' },
    { name: 'load-balancer-ip', kind: 'string' },
    { name: 'session-affinity', kind: 'string' },
    { name: 'filename', short: 'f', kind: 'strings' },
  ]);
  const ns = namespaceOf(env, p.flags.namespace);
  const sel = parseSelection(env.client, p.args);
  if (sel.length === 0 || sel[0]!.names.length === 0)
    throw new KubectlError(`You must provide one or more resources by argument or filename.`);
  const { info, names } = sel[0]!;
  const target = env.client.get(info.resource, ns, names[0]!) as KubeObject & { spec?: Record<string, any> };
  const selector = p.flags.selector
    ? Object.fromEntries(
        String(p.flags.selector)
          .split(',')
          .map((kv) => kv.split('=') as [string, string]),
      )
    : selectorOf(info, target);
  if (!selector)
    throw new KubectlError(`couldn't retrieve selectors via --selector flag or introspection: the ${info.kind} has no selector`);
  let ports: { port: number; protocol: string; name?: string; targetPort?: number | string }[] = [];
  if (p.flags.port)
    ports = String(p.flags.port)
      .split(',')
      .map((x) => ({ port: parseInt(x, 10), protocol: (p.flags.protocol as string | undefined) ?? 'TCP' }));
  else ports = containerPorts(info, target);
  if (ports.length === 0) throw new KubectlError(`couldn't find port via --port flag or introspection`);
  if (ports.length > 1) ports = ports.map((x, i) => ({ name: `port-${i + 1}`, ...x }));
  const tp = p.flags['target-port'] as string | undefined;
  for (const port of ports) port.targetPort = tp === undefined ? port.port : /^\d+$/.test(tp) ? parseInt(tp, 10) : tp;
  const spec: Record<string, unknown> = { ports, selector };
  if (p.flags.type) spec.type = p.flags.type;
  if (p.flags['external-ip']) spec.externalIPs = [p.flags['external-ip']];
  if (p.flags['cluster-ip']) spec.clusterIP = p.flags['cluster-ip'];
  if (p.flags['session-affinity']) spec.sessionAffinity = p.flags['session-affinity'];
  const labels = p.flags.labels
    ? Object.fromEntries(
        String(p.flags.labels)
          .split(',')
          .map((kv) => kv.split('=') as [string, string]),
      )
    : target.metadata.labels;
  const svc = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: (p.flags.name as string | undefined) ?? names[0]!, namespace: ns, ...(labels ? { labels } : {}) },
    spec,
    status: { loadBalancer: {} },
  } as KubeObject;
  return emit(env, svc, 'exposed', p.flags);
}

function selectorOf(info: ResourceInfo, obj: KubeObject & { spec?: Record<string, any> }): Record<string, string> | undefined {
  if (info.kind === 'Pod') return obj.metadata.labels;
  if (info.kind === 'Service') return obj.spec?.selector;
  const sel = obj.spec?.selector;
  if (sel?.matchExpressions?.length)
    throw new KubectlError(`couldn't convert expressions - "${JSON.stringify(sel.matchExpressions)}" to map-based selector format`);
  return sel?.matchLabels;
}

function containerPorts(info: ResourceInfo, obj: KubeObject & { spec?: Record<string, any> }) {
  if (info.kind === 'Service') return (obj.spec?.ports ?? []).map((x: any) => ({ port: x.port, protocol: x.protocol ?? 'TCP' }));
  const podSpec = info.kind === 'Pod' ? obj.spec : obj.spec?.template?.spec;
  const out: { port: number; protocol: string }[] = [];
  for (const c of podSpec?.containers ?? [])
    for (const port of c.ports ?? []) out.push({ port: port.containerPort, protocol: port.protocol ?? 'TCP' });
  return out;
}
