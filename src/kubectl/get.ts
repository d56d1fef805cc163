// `kubectl get`: kubectl's get.go over the ApiClient — types and names, -l/--field-selector,
// -A, the output formats, several kinds at once, `all`, and -w (ends on the client's signal).

import { ApiError, type KubeObject, type ResourceInfo } from '../api/index.js';
import { type KubectlEnv, KubectlError, RawError, errorText, namespaceOf } from './env.js';
import { type FlagSpec, type Parsed, parseFlags } from './flags.js';
import { readManifests, groupVersion } from './manifests.js';
import {
  GetTablePrinter,
  asList,
  customColumnsText,
  goTemplateText,
  jsonPathText,
  kindPrefix,
  parseCustomColumns,
  parseGoTemplate,
  toJson,
  toYaml,
} from './output.js';
import { findResource, parseSelection, resolveResource } from './resources.js';
import { DEFAULT_TABLE, TABLES, type PrinterColumn, type TableDef, crdTable } from './tables.js';

export const GET_FLAGS: FlagSpec[] = [
  { name: 'output', short: 'o', kind: 'string' },
  { name: 'selector', short: 'l', kind: 'string' },
  { name: 'field-selector', kind: 'string' },
  { name: 'all-namespaces', short: 'A', kind: 'bool' },
  { name: 'show-labels', kind: 'bool' },
  { name: 'label-columns', short: 'L', kind: 'strings' },
  { name: 'watch', short: 'w', kind: 'bool' },
  { name: 'watch-only', kind: 'bool' },
  { name: 'no-headers', kind: 'bool' },
  { name: 'ignore-not-found', kind: 'bool' },
  { name: 'filename', short: 'f', kind: 'strings' },
  { name: 'recursive', short: 'R', kind: 'bool' },
  { name: 'sort-by', kind: 'string' },
  { name: 'show-kind', kind: 'bool' },
  { name: 'allow-missing-template-keys', kind: 'bool' },
  { name: 'template', kind: 'string' },
  { name: 'chunk-size', kind: 'int' },
  { name: 'show-managed-fields', kind: 'bool' },
];

/** The table for a resource: printers.go's, a CRD's printer columns, or the default convertor's. */
export function tableFor(env: KubectlEnv, info: ResourceInfo): TableDef {
  const builtin = TABLES[`${info.group}/${info.kind}`];
  if (builtin) return builtin;
  if (info.group) {
    try {
      const crd = env.client.get('customresourcedefinitions', undefined, `${info.resource}.${info.group}`);
      const versions =
        (crd as { spec?: { versions?: { name: string; additionalPrinterColumns?: PrinterColumn[] }[] } }).spec?.versions ?? [];
      const v = versions.find((x) => x.name === info.version) ?? versions[0];
      return crdTable(v?.additionalPrinterColumns);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }
  return DEFAULT_TABLE;
}

type Output =
  | { kind: 'table'; wide: boolean }
  | { kind: 'name' }
  | { kind: 'json' }
  | { kind: 'yaml' }
  | { kind: 'jsonpath'; template: string }
  | { kind: 'go-template'; template: string }
  | { kind: 'custom-columns'; spec: string };

const OUTPUTS = [
  'custom-columns',
  'custom-columns-file',
  'go-template',
  'go-template-file',
  'json',
  'jsonpath',
  'jsonpath-as-json',
  'jsonpath-file',
  'kyaml',
  'name',
  'template',
  'templatefile',
  'wide',
  'yaml',
];

/** `-o go-template --template=…` (or `-o template`): the template given by its own flag. */
export function parseOutput(o: string | undefined, template?: string): Output {
  // PrintFlags.ToPrinter: --template without -o means go-template
  if ((o === undefined || o === '') && template !== undefined && template !== '') o = 'go-template';
  if ((o === 'go-template' || o === 'template') && template !== undefined && template !== '') o = `${o}=${template}`;
  if (o === undefined || o === '') return { kind: 'table', wide: false };
  if (o === 'wide') return { kind: 'table', wide: true };
  if (o === 'name' || o === 'json' || o === 'yaml') return { kind: o };
  const eq = o.indexOf('=');
  const format = eq < 0 ? o : o.slice(0, eq);
  const arg = eq < 0 ? '' : o.slice(eq + 1);
  if (format === 'jsonpath') {
    if (arg === '') throw new KubectlError('template format specified but no template given');
    return { kind: 'jsonpath', template: arg };
  }
  if (format === 'go-template' || format === 'template') {
    if (arg === '') throw new KubectlError('template format specified but no template given');
    parseGoTemplate(arg);
    return { kind: 'go-template', template: arg };
  }
  if (format === 'custom-columns') return { kind: 'custom-columns', spec: arg };
  throw new KubectlError(`unable to match a printer suitable for the output format "${o}", allowed formats are: ${OUTPUTS.join(',')}`);
}

interface Found {
  info: ResourceInfo;
  objs: KubeObject[];
  resourceVersion?: string;
}

export async function get(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const p = parseFlags(argv, GET_FLAGS);
  const out = parseOutput(p.flags.output as string | undefined, p.flags.template as string | undefined);
  const allNs = p.flags['all-namespaces'] === true;
  const ns = namespaceOf(env, p.flags.namespace);
  const listOpts = {
    labelSelector: p.flags.selector as string | undefined,
    fieldSelector: p.flags['field-selector'] as string | undefined,
  };
  let failed = false;
  const found: Found[] = [];
  let namedCount = 0;

  const filenames = (p.flags.filename as string[] | undefined) ?? [];
  if (filenames.length > 0) {
    for (const m of readManifests(env.io, filenames, p.flags.recursive === true)) {
      const { group } = groupVersion(m.obj.apiVersion);
      const info = findResource(env.client.resources(), `${m.obj.kind}.${group}`) ?? resolveResource(env.client, m.obj.kind);
      try {
        const obj = env.client.get(
          info.resource,
          info.namespaced ? (m.obj.metadata.namespace ?? ns) : undefined,
          m.obj.metadata.name ?? '',
        );
        pushFound(found, info, [obj]);
      } catch (e) {
        failed = true;
        env.io.stderr(errorText(e));
      }
    }
  } else {
    if (p.args.length === 0) {
      throw new RawError(
        'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples',
      );
    }
    const selection = parseSelection(env.client, p.args);
    warnDeprecated(
      env,
      selection.map((x) => x.info),
    );
    namedCount = selection.reduce((n, s) => n + s.names.length, 0);
    if (p.flags.watch || p.flags['watch-only'])
      return watch(env, p, selection[0]!.info, selection[0]!.names, out, allNs ? undefined : ns, listOpts);
    for (const { info, names } of selection) {
      const scope = info.namespaced ? (allNs && names.length === 0 ? undefined : ns) : undefined;
      if (names.length === 0) {
        const list = env.client.list(info.resource, scope, listOpts);
        found.push({ info, objs: list.items, resourceVersion: list.resourceVersion });
        continue;
      }
      for (const name of names) {
        try {
          pushFound(found, info, [env.client.get(info.resource, scope, name)]);
        } catch (e) {
          if (e instanceof ApiError && e.reason === 'NotFound' && p.flags['ignore-not-found']) continue;
          failed = true;
          env.io.stderr(errorText(e));
        }
      }
    }
  }

  const sortBy = p.flags['sort-by'] as string | undefined;
  if (sortBy) for (const f of found) f.objs = sortObjects(f.objs, sortBy);
  const objs = found.flatMap((f) => f.objs);
  // IntoSingleItemImplied: one object named by TYPE NAME or TYPE/NAME prints as itself, not as a List.
  const singleItem = filenames.length === 0 && objs.length === 1 && namedCount === 1;
  switch (out.kind) {
    case 'name':
      for (const f of found) for (const o of f.objs) env.io.stdout(`${kindPrefix(f.info.kind, f.info.group)}/${o.metadata.name}\n`);
      break;
    case 'json':
    case 'yaml':
    case 'jsonpath':
    case 'go-template': {
      if (objs.length === 0 && failed) break;
      const data = singleItem ? objs[0] : asList(objs, found.length === 1 && !singleItem ? (found[0]!.resourceVersion ?? '') : '');
      if (out.kind === 'json') env.io.stdout(toJson(data));
      else if (out.kind === 'yaml') env.io.stdout(toYaml(data));
      else if (out.kind === 'go-template')
        env.io.stdout(goTemplateText(env.io, out.template, data, p.flags['allow-missing-template-keys'] !== false));
      else env.io.stdout(jsonPathText(out.template, data, p.flags['allow-missing-template-keys'] !== false));
      break;
    }
    case 'custom-columns':
      if (objs.length > 0) env.io.stdout(customColumnsText(parseCustomColumns(out.spec), objs, p.flags['no-headers'] === true));
      break;
    case 'table': {
      const printer = new GetTablePrinter();
      const withKind = (found.length > 1 && new Set(found.map((f) => f.info)).size > 1) || p.flags['show-kind'] === true;
      for (const f of found) {
        printer.print(`${f.info.group}/${f.info.resource}`, tableFor(env, f.info), f.objs, {
          now: env.client.now(),
          wide: out.wide,
          withNamespace: allNs && f.info.namespaced,
          withKind: withKind ? kindPrefix(f.info.kind, f.info.group) : undefined,
          showLabels: p.flags['show-labels'] === true,
          noHeaders: p.flags['no-headers'] === true,
          labelColumns: (p.flags['label-columns'] as string[] | undefined) ?? [],
        });
      }
      const text = printer.flush();
      env.io.stdout(text);
      if (text === '' && !failed && !p.flags['ignore-not-found']) {
        const allNamespaced = !allNs && found.every((f) => f.info.namespaced);
        env.io.stderr(allNamespaced ? `No resources found in ${ns} namespace.\n` : 'No resources found\n');
      }
      break;
    }
  }
  // The JSONPath printer of a list with no items prints nothing and says nothing, as kubectl.
  return failed ? 1 : 0;
}

/**
 * The API server's deprecation warnings (a Warning header kubectl prints once per command) for
 * requests to v1 ComponentStatus (since 1.19) and v1 Endpoints (since 1.33).
 */
export function warnDeprecated(env: KubectlEnv, infos: ResourceInfo[]): void {
  if (infos.some((i) => i.group === '' && i.resource === 'componentstatuses'))
    env.io.stderr('Warning: v1 ComponentStatus is deprecated in v1.19+\n');
  if (infos.some((i) => i.group === '' && i.resource === 'endpoints'))
    env.io.stderr('Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n');
}

function pushFound(found: Found[], info: ResourceInfo, objs: KubeObject[]): void {
  const last = found.at(-1);
  if (last && last.info === info) last.objs.push(...objs);
  else found.push({ info, objs });
}

/** --sort-by: a JSONPath key; numbers numerically, other values as strings. */
function sortObjects(objs: KubeObject[], path: string): KubeObject[] {
  const key = (o: KubeObject) => {
    let v: unknown = o;
    for (const part of path
      .replace(/^\{?\.?/, '')
      .replace(/\}$/, '')
      .split('.'))
      v = (v as Record<string, unknown> | undefined)?.[part];
    return v;
  };
  return [...objs].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x ?? '').localeCompare(String(y ?? ''));
  });
}

async function watch(
  env: KubectlEnv,
  p: Parsed,
  info: ResourceInfo,
  names: string[],
  out: Output,
  scope: string | undefined,
  listOpts: { labelSelector?: string; fieldSelector?: string },
): Promise<number> {
  const ns = info.namespaced ? scope : undefined;
  const printer = new GetTablePrinter();
  const allNs = p.flags['all-namespaces'] === true;
  const key = `${info.group}/${info.resource}`;
  const def = out.kind === 'table' ? tableFor(env, info) : undefined;
  const emit = (objs: KubeObject[]) => {
    if (objs.length === 0) return;
    if (def && out.kind === 'table') {
      printer.print(key, def, objs, {
        now: env.client.now(),
        wide: out.wide,
        withNamespace: allNs && info.namespaced,
        withKind: undefined,
        showLabels: p.flags['show-labels'] === true,
        noHeaders: p.flags['no-headers'] === true,
        labelColumns: [],
      });
      env.io.stdout(printer.flush());
    } else if (out.kind === 'name') objs.forEach((o) => env.io.stdout(`${kindPrefix(info.kind, info.group)}/${o.metadata.name}\n`));
    else if (out.kind === 'json') objs.forEach((o) => env.io.stdout(toJson(o)));
    else if (out.kind === 'yaml') objs.forEach((o) => env.io.stdout(`${toYaml(o)}---\n`));
    else if (out.kind === 'jsonpath') objs.forEach((o) => env.io.stdout(jsonPathText(out.template, o)));
    else if (out.kind === 'go-template') objs.forEach((o) => env.io.stdout(goTemplateText(env.io, out.template, o)));
    else if (out.kind === 'custom-columns') objs.forEach((o) => env.io.stdout(customColumnsText(parseCustomColumns(out.spec), [o], true)));
  };
  const nameSel = names.length === 1 ? `metadata.name=${names[0]}` : undefined;
  const fieldSelector = [listOpts.fieldSelector, nameSel].filter(Boolean).join(',') || undefined;
  const list = env.client.list(info.resource, ns, { labelSelector: listOpts.labelSelector, fieldSelector });
  if (!p.flags['watch-only']) emit(list.items);
  const stop = env.client.watch(
    info.resource,
    ns,
    { resourceVersion: list.resourceVersion, labelSelector: listOpts.labelSelector, fieldSelector },
    (e) => emit([e.object]),
  );
  const signal = env.io.signal;
  if (signal && !signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  stop();
  return 0;
}
