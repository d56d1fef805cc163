// `kubectl set image (TYPE NAME | TYPE/NAME… | -l SELECTOR) CONTAINER=IMAGE…` (kubectl/pkg/cmd/set/
// set_image.go): the named containers (init containers too; `*` every one) of a pod or of a
// workload's pod template take the new image, through a strategic merge patch, and kubectl prints
// `deployment.apps/web image updated` for each object it changed (nothing for one already so).
// The other `kubectl set` subcommands say they are not emulated.
import type { KubeObject } from '../api/index.js';
import { type KubectlEnv, KubectlError, namespaceOf, objectRef } from './env.js';
import { parseFlags } from './flags.js';
import { parseSelection } from './resources.js';
import { targets } from './verbs.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SUBCOMMANDS = ['env', 'image', 'resources', 'selector', 'serviceaccount', 'subject'];

export async function set(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'image') {
    if (sub !== undefined && SUBCOMMANDS.includes(sub))
      throw new KubectlError(`knetlab: kubectl set ${sub} is not emulated yet (set image is)`);
    throw new KubectlError(`unknown command "${sub ?? ''}" for "kubectl set"`);
  }
  const p = parseFlags(rest, [
    { name: 'selector', short: 'l', kind: 'string' },
    { name: 'all', kind: 'bool' },
    { name: 'all-namespaces', short: 'A', kind: 'bool' },
    { name: 'output', short: 'o', kind: 'string' },
    { name: 'dry-run', kind: 'string' },
  ]);
  const images = new Map<string, string>();
  const resources: string[] = [];
  for (const a of p.args) {
    const eq = a.indexOf('=');
    if (eq > 0) images.set(a.slice(0, eq), a.slice(eq + 1));
    else resources.push(a);
  }
  if (images.size === 0) throw new KubectlError('at least one image update is required');
  const ns = namespaceOf(env, p.flags.namespace);
  const found = targets(env, parseSelection(env.client, resources), ns, {
    selector: p.flags.selector as string | undefined,
    all: p.flags.all === true,
    allNs: p.flags['all-namespaces'] === true,
  });
  if (found.length === 0) throw new KubectlError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  for (const t of found) {
    const obj = t.obj ?? env.client.get(t.info.resource, t.ns, t.name);
    const patch = imagePatch(obj, images);
    if (!patch) continue;
    env.client.patch(t.info.resource, t.ns, t.name, 'strategic', patch);
    env.io.stdout(p.flags.output === 'name' ? `${objectRef(t.info, t.name)}\n` : `${objectRef(t.info, t.name)} image updated\n`);
  }
  return 0;
}

/** The pod spec a patch of `obj` reaches, with the path to it: a pod's own, a CronJob's job template's, else the template's. */
function podSpecOf(obj: KubeObject): { spec: Obj | undefined; wrap: (podSpec: Obj) => Obj } {
  const spec = obj.spec as Obj | undefined;
  if (obj.kind === 'Pod') return { spec, wrap: (s) => ({ spec: s }) };
  if (obj.kind === 'CronJob')
    return { spec: spec?.jobTemplate?.spec?.template?.spec, wrap: (s) => ({ spec: { jobTemplate: { spec: { template: { spec: s } } } } }) };
  return { spec: spec?.template?.spec, wrap: (s) => ({ spec: { template: { spec: s } } }) };
}

/** The strategic patch giving the named containers their images, undefined when none changes; an unknown name is kubectl's error. */
function imagePatch(obj: KubeObject, images: ReadonlyMap<string, string>): Obj | undefined {
  const { spec, wrap } = podSpecOf(obj);
  const lists = { initContainers: (spec?.initContainers ?? []) as Obj[], containers: (spec?.containers ?? []) as Obj[] };
  for (const name of images.keys())
    if (name !== '*' && !lists.initContainers.some((c) => c.name === name) && !lists.containers.some((c) => c.name === name))
      throw new KubectlError(`unable to find container named "${name}"`);
  const patch: Obj = {};
  for (const [field, list] of Object.entries(lists)) {
    const changed = list
      .map((c) => ({ name: c.name as string, image: images.get(c.name) ?? images.get('*'), was: c.image }))
      .filter((c) => c.image !== undefined && c.image !== c.was)
      .map(({ name, image }) => ({ name, image }));
    if (changed.length) patch[field] = changed;
  }
  return Object.keys(patch).length ? wrap(patch) : undefined;
}
