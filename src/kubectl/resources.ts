// Resource names as kubectl's RESTMapper resolves them through discovery: plural, singular,
// short names, kinds, `resource.group` and the `all` category; `TYPE/NAME` arguments.

import type { ApiClient, ResourceInfo } from '../api/index.js';
import { KubectlError } from './env.js';

/** One resource type by any name kubectl accepts for it. */
export function resolveResource(client: ApiClient, arg: string): ResourceInfo {
  const found = findResource(client.resources(), arg);
  if (!found) throw new KubectlError(`the server doesn't have a resource type "${arg}"`);
  return found;
}

export function findResource(all: readonly ResourceInfo[], arg: string): ResourceInfo | undefined {
  const a = arg.toLowerCase();
  const dot = a.indexOf('.');
  const [name, group] = dot < 0 ? [a, undefined] : [a.slice(0, dot), a.slice(dot + 1)];
  const candidates = all.filter((r) => group === undefined || r.group === group || `${r.version}.${r.group}` === group);
  return (
    candidates.find((r) => r.resource === name) ??
    candidates.find((r) => r.singular === name) ??
    candidates.find((r) => r.shortNames.includes(name)) ??
    candidates.find((r) => r.kind.toLowerCase() === name)
  );
}

/** The resources of a category such as `all`, in discovery order. */
export function category(client: ApiClient, name: string): ResourceInfo[] {
  return client.resources().filter((r) => r.categories?.includes(name));
}

/** Resource types of a comma list (`svc,ep`, `all`); undefined entries are unknown names. */
export function resolveTypes(client: ApiClient, list: string): ResourceInfo[] {
  const out: ResourceInfo[] = [];
  for (const t of list.split(',')) {
    if (t === '') continue;
    const cat = category(client, t);
    if (cat.length > 0 && !findResource(client.resources(), t)) out.push(...cat);
    else out.push(resolveResource(client, t));
  }
  return out;
}

/** What `kubectl get|describe|delete ARGS` names: types with optional names. */
export interface Selection {
  info: ResourceInfo;
  names: string[];
}

export function parseSelection(client: ApiClient, args: string[]): Selection[] {
  if (args.length === 0) return [];
  if (args.some((a) => a.includes('/'))) {
    const out: Selection[] = [];
    for (const a of args) {
      const slash = a.indexOf('/');
      if (slash < 0)
        throw new KubectlError(
          `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'`,
        );
      const info = resolveResource(client, a.slice(0, slash));
      const name = a.slice(slash + 1);
      if (name === '') throw new KubectlError(`arguments in resource/name form must have a single resource and name`);
      const last = out.at(-1);
      if (last && last.info === info) last.names.push(name);
      else out.push({ info, names: [name] });
    }
    return out;
  }
  const [types, ...names] = args;
  const infos = resolveTypes(client, types!);
  if (names.length > 0 && infos.length > 1 && types!.split(',').length > 1) {
    return infos.map((info) => ({ info, names }));
  }
  return infos.map((info) => ({ info, names: [...names] }));
}
