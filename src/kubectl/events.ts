// `kubectl events` (kubectl/pkg/cmd/events): the namespace's events oldest first, as
// LAST SEEN, TYPE, REASON, OBJECT (Kind/name) and MESSAGE; `--for TYPE/NAME` keeps one object's,
// `--types` Normal and/or Warning, `-A` every namespace's. `--watch` is not emulated.
import type { KubeObject } from '../api/index.js';
import { since } from './duration.js';
import { type KubectlEnv, KubectlError, namespaceOf } from './env.js';
import { parseFlags } from './flags.js';
import { toJson, toYaml } from './output.js';
import { resolveResource } from './resources.js';
import { KUBECTL_TABLE, TabWriter } from './tabwriter.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** eventTime(): the series' last observation, else lastTimestamp, else eventTime. */
function eventTime(e: Obj): number {
  return Date.parse(e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? '') || 0;
}

/** getInterval(): `5s`, or `5s (x3 over 2m)` for a repeated event. */
function lastSeen(e: Obj, now: number): string {
  const first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
  if (e.series) return `${since(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`;
  if ((e.count ?? 0) > 1) return `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
  return first;
}

export async function events(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const p = parseFlags(argv, [
    { name: 'all-namespaces', short: 'A', kind: 'bool' },
    { name: 'for', kind: 'string' },
    { name: 'types', kind: 'strings' },
    { name: 'no-headers', kind: 'bool' },
    { name: 'output', short: 'o', kind: 'string' },
    { name: 'watch', short: 'w', kind: 'bool' },
    { name: 'chunk-size', kind: 'int' },
  ]);
  if (p.flags.watch) throw new KubectlError('knetlab: kubectl events --watch is not emulated yet (kubectl get events -w is)');
  const types = ((p.flags.types as string[] | undefined) ?? []).flatMap((t) => t.split(','));
  if (types.some((t) => !/^(normal|warning)$/i.test(t))) throw new KubectlError('valid --types are Normal or Warning');
  let forKind: string | undefined;
  let forName: string | undefined;
  const target = p.flags.for as string | undefined;
  if (target !== undefined) {
    const seg = target.split('/');
    if (seg.length === 1) throw new KubectlError('--for must be in resource/name form');
    if (seg.length > 2) throw new KubectlError('arguments in resource/name form may not have more than one slash');
    forKind = resolveResource(env.client, seg[0]!.toLowerCase()).kind;
    forName = seg[1];
  }
  const all = p.flags['all-namespaces'] === true;
  const ns = namespaceOf(env, p.flags.namespace);
  const list = (env.client.list('events', all ? undefined : ns).items as Obj[])
    .filter((e) => forKind === undefined || (e.involvedObject?.kind === forKind && e.involvedObject?.name === forName))
    .filter((e) => types.length === 0 || types.some((t) => t.toLowerCase() === String(e.type).toLowerCase()))
    .sort((a, b) => eventTime(a) - eventTime(b));
  const out = p.flags.output as string | undefined;
  if (out === 'yaml' || out === 'json') {
    const obj = { apiVersion: 'v1', kind: 'EventList', items: list, metadata: { resourceVersion: '' } } as unknown as KubeObject;
    env.io.stdout(out === 'yaml' ? toYaml(obj) : toJson(obj));
    return 0;
  }
  if (out !== undefined) throw new KubectlError(`knetlab: kubectl events -o ${out} is not emulated yet (yaml and json are)`);
  if (list.length === 0) {
    env.io.stderr(all ? 'No events found.\n' : `No events found in ${ns} namespace.\n`);
    return 0;
  }
  const now = env.client.now();
  const w = new TabWriter(KUBECTL_TABLE);
  if (!p.flags['no-headers']) w.write(`${all ? 'NAMESPACE\t' : ''}LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n`);
  for (const e of list) {
    const io = e.involvedObject ?? {};
    w.write(
      `${all ? `${e.metadata?.namespace ?? ''}\t` : ''}${lastSeen(e, now)}\t${e.type ?? ''}\t${e.reason ?? ''}\t${io.kind ?? ''}/${io.name ?? ''}\t${String(e.message ?? '').trim()}\n`,
    );
  }
  env.io.stdout(w.flush());
  return 0;
}
