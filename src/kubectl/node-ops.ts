// The node verbs: `cordon` and `uncordon` (spec.unschedulable, drain.go's RunCordonOrUncordon) and
// `taint` (kubectl's taint.go with pkg/util/taints: KEY=VALUE:EFFECT and KEY:EFFECT add, KEY-,
// KEY:EFFECT- remove; --overwrite, --all, -l), with kubectl's messages.
import { labelValueErrors, qualifiedNameErrors } from '../api/index.js';
import { type KubectlEnv, KubectlError, errorText, objectRef, usageError } from './env.js';
import { dryRunSuffix, parseFlags } from './flags.js';
import { parseSelection } from './resources.js';
import { targets } from './verbs.js';

interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect?: string;
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** v1.Taint.ToString: key=value:effect, key:effect, key. */
const taintText = (t: Taint) => `${t.key}${t.value ? `=${t.value}` : ''}${t.effect ? `:${t.effect}` : ''}`;

/** taints.parseTaint: `<key>=<value>:<effect>`, `<key>:<effect>` or `<key>`. */
function parseTaint(spec: string): Taint {
  const parts = spec.split(':');
  if (parts.length > 2) throw usageError('taint', `invalid taint spec: ${spec}`);
  let [key, value] = [parts[0]!, undefined as string | undefined];
  const effect = parts[1];
  if (effect !== undefined) {
    if (!EFFECTS.includes(effect)) throw usageError('taint', `invalid taint effect: ${effect}, unsupported taint effect`);
    const kv = key.split('=');
    if (kv.length > 2) throw usageError('taint', `invalid taint spec: ${spec}`);
    [key, value] = [kv[0]!, kv[1]];
    const bad = value === undefined ? [] : labelValueErrors(value);
    if (bad.length) throw usageError('taint', `invalid taint spec: ${spec}, ${bad.join('; ')}`);
  }
  const bad = qualifiedNameErrors(key);
  if (bad.length) throw usageError('taint', `invalid taint spec: ${spec}, ${bad.join('; ')}`);
  return { key, ...(value ? { value } : {}), ...(effect ? { effect } : {}) };
}

const sameKeyEffect = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;

export async function taint(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const p = parseFlags(argv, [
    { name: 'overwrite', kind: 'bool' },
    { name: 'all', kind: 'bool' },
    { name: 'selector', short: 'l', kind: 'string' },
    { name: 'dry-run', kind: 'string' },
    { name: 'output', short: 'o', kind: 'string' },
    { name: 'validate', kind: 'string' },
  ]);
  // taint.go: the words up to the first with '=', ':' or a trailing '-' name nodes, the rest are taints
  const first = p.args.findIndex((a) => a.includes('=') || a.includes(':') || a.endsWith('-'));
  const resources = first < 0 ? p.args : p.args.slice(0, first);
  const specs = first < 0 ? [] : p.args.slice(first);
  if (specs.length === 0) throw new KubectlError('at least one taint update is required');
  const add: Taint[] = [];
  const remove: Taint[] = [];
  for (const s of specs) {
    if (s.endsWith('-')) {
      const t = parseTaint(s.slice(0, -1));
      remove.push({ key: t.key, ...(t.effect ? { effect: t.effect } : {}) });
      continue;
    }
    const t = parseTaint(s);
    if (!t.effect) throw usageError('taint', `invalid taint spec: ${s}`);
    // Go's %v of the v1.Taint: {Key Value Effect TimeAdded}
    if (add.some((x) => sameKeyEffect(x, t)))
      throw usageError('taint', `duplicated taints with the same key and effect: {${t.key} ${t.value ?? ''} ${t.effect} <nil>}`);
    add.push(t);
  }
  const all = p.flags.all === true;
  const selector = p.flags.selector as string | undefined;
  const sel = parseSelection(env.client, resources.length ? resources : all || selector ? ['nodes'] : []);
  if (sel.length === 0) throw new KubectlError("at least one resource name must be specified since 'all' parameter is not set");
  if (sel.some((s) => s.info.resource !== 'nodes'))
    throw new KubectlError(`invalid resource type ${sel[0]!.info.kind}, only node types are supported`);
  let failed = false;
  for (const t of targets(env, sel, '', { ...(selector !== undefined ? { selector } : {}), all })) {
    try {
      const node = t.obj ?? env.client.get('nodes', undefined, t.name);
      const old = ((node.spec as { taints?: Taint[] } | undefined)?.taints ?? []) as Taint[];
      const overwrite = p.flags.overwrite === true;
      if (!overwrite) {
        const exists = add.filter((a) => old.some((o) => sameKeyEffect(o, a))).map((a) => a.key);
        if (exists.length)
          throw new KubectlError(`Node ${t.name} already has ${exists.join(',')} taint(s) with same effect(s) and --overwrite is false`);
      }
      const { operation, taints } = reorganize(old, add, remove, overwrite);
      if (!p.flags['dry-run']) env.client.patch('nodes', undefined, t.name, 'merge', { spec: { taints: taints.length ? taints : null } });
      env.io.stdout(`${objectRef(t.info, t.name)} ${operation}${dryRunSuffix(p.flags['dry-run'])}\n`);
    } catch (e) {
      failed = true;
      env.io.stderr(errorText(e));
    }
  }
  return failed ? 1 : 0;
}

/** taints.ReorganizeTaints: the new taints first, then the old ones not replaced, less those removed. */
function reorganize(
  old: readonly Taint[],
  add: readonly Taint[],
  remove: readonly Taint[],
  overwrite: boolean,
): { operation: string; taints: Taint[] } {
  let taints = [...add];
  for (const o of old) if (!taints.some((t) => sameKeyEffect(t, o))) taints.push(o);
  const added = old.length !== taints.length;
  let deleted = false;
  const missing: string[] = [];
  for (const r of remove) {
    const kept = taints.filter((t) => !(r.effect ? sameKeyEffect(t, r) : t.key === r.key));
    deleted = kept.length !== taints.length;
    if (!deleted) missing.push(`taint "${taintText(r)}" not found`);
    taints = kept;
  }
  if (missing.length) throw new KubectlError(missing.length === 1 ? missing[0]! : `[${missing.join(', ')}]`);
  const operation = (added && deleted) || overwrite ? 'modified' : added ? 'tainted' : 'untainted';
  return { operation, taints };
}

/** kubectl cordon|uncordon NODE…: spec.unschedulable, or `already cordoned` when it is so. */
async function setUnschedulable(env: KubectlEnv, argv: readonly string[], want: boolean): Promise<number> {
  const p = parseFlags(argv, [
    { name: 'selector', short: 'l', kind: 'string' },
    { name: 'dry-run', kind: 'string' },
  ]);
  const selector = p.flags.selector as string | undefined;
  const command = want ? 'cordon' : 'uncordon';
  if (p.args.length === 0 && selector === undefined) throw usageError(command, `USAGE: ${command} NODE [flags]`);
  const sel = parseSelection(env.client, ['nodes', ...p.args]);
  const verb = want ? 'cordoned' : 'uncordoned';
  let failed = false;
  for (const t of targets(env, sel, '', selector !== undefined ? { selector } : {})) {
    try {
      const node = t.obj ?? env.client.get('nodes', undefined, t.name);
      const ref = objectRef(t.info, t.name);
      if (((node.spec as { unschedulable?: boolean } | undefined)?.unschedulable ?? false) === want) {
        env.io.stdout(`${ref} already ${verb}\n`);
        continue;
      }
      if (!p.flags['dry-run']) env.client.patch('nodes', undefined, t.name, 'merge', { spec: { unschedulable: want ? true : null } });
      env.io.stdout(`${ref} ${verb}${dryRunSuffix(p.flags['dry-run'])}\n`);
    } catch (e) {
      failed = true;
      env.io.stderr(errorText(e));
    }
  }
  return failed ? 1 : 0;
}

export const cordon = (env: KubectlEnv, argv: readonly string[]) => setUnschedulable(env, argv, true);
export const uncordon = (env: KubectlEnv, argv: readonly string[]) => setUnschedulable(env, argv, false);
