// What `kubectl get` prints: the human-readable table (cli-runtime tableprinter + get.go's
// kind prefixes, NAMESPACE/LABELS columns and blank lines between kinds), `-o name`,
// `-o json|yaml` (unstructured objects: map keys sorted as Go's encoders write them),
// `-o jsonpath=…` and `-o custom-columns=…`.

import { Document, Scalar, parse, stringify, visit } from 'yaml';
import { executeJsonPath, evalJsonPath, JsonPathError, parseJsonPath, parsePath, sortKeys } from './jsonpath.js';
import { formatLabels } from './labels.js';
import { KUBECTL_TABLE, TabWriter } from './tabwriter.js';
import type { Obj, PrintContext, TableDef } from './tables.js';
import { GoTemplate, KUBECTL_FUNCS, TemplateError } from '../transcript/index.js';
import { KubectlError } from './env.js';

/** `pod`, `deployment.apps`: the GroupKind as kubectl prefixes names with it. */
export function kindPrefix(kind: string, group: string): string {
  return (group ? `${kind}.${group}` : kind).toLowerCase();
}

export interface TableOptions extends PrintContext {
  withNamespace: boolean;
  withKind: string | undefined;
  showLabels: boolean;
  noHeaders: boolean;
  /** `-L key`: extra columns from label values. */
  labelColumns: string[];
}

/** Renders one kind's rows as tab-separated lines (header included unless there are no rows). */
export function tableLines(def: TableDef, objs: Obj[], opts: TableOptions, withHeader: boolean): string {
  if (objs.length === 0) return '';
  const shown = def.columns.map((col, i) => ({ col, i })).filter(({ col }) => opts.wide || col.priority === 0);
  const lines: string[] = [];
  if (withHeader && !opts.noHeaders) {
    const h = shown.map(({ col }) => col.name.toUpperCase());
    if (opts.withNamespace) h.unshift('NAMESPACE');
    for (const l of opts.labelColumns) h.push(l.split('/').at(-1)!.toUpperCase());
    if (opts.showLabels) h.push('LABELS');
    lines.push(h.join('\t'));
  }
  for (const o of objs) {
    const cells = def.row(o, opts);
    const row = shown.map(({ i }) => oneLine(cells[i] ?? ''));
    // tableprinter: the column with format "name" gets the kind prefix.
    const nameIx = shown.findIndex(({ col }) => col.name === 'Name');
    if (opts.withKind && nameIx >= 0) row[nameIx] = `${opts.withKind}/${row[nameIx]}`;
    if (opts.withNamespace) row.unshift(o.metadata?.namespace ?? '');
    for (const l of opts.labelColumns) row.push(o.metadata?.labels?.[l] ?? '');
    if (opts.showLabels) row.push(formatLabels(o.metadata?.labels));
    lines.push(row.join('\t'));
  }
  return `${lines.join('\n')}\n`;
}

/** tableprinter: a multi-line cell is cut at its first newline and marked `...`. */
function oneLine(s: string): string {
  const nl = s.indexOf('\n');
  return nl < 0 ? s : `${s.slice(0, nl)}...`;
}

/** The table writer of one `kubectl get`: one flush per kind, a blank line between kinds that printed. */
export class GetTablePrinter {
  private readonly w = new TabWriter(KUBECTL_TABLE);
  private written = 0;
  private lastKey: string | undefined;
  private headerPrinted = false;
  out = '';

  print(key: string, def: TableDef, objs: Obj[], opts: TableOptions): void {
    if (key !== this.lastKey) {
      this.out += this.w.flush();
      this.w.resetWidths();
      if (this.lastKey !== undefined && !opts.noHeaders && this.written > 0) this.separator = true;
      this.lastKey = key;
      this.headerPrinted = false;
    }
    const text = tableLines(def, objs, opts, !this.headerPrinted);
    if (text) {
      this.headerPrinted = true;
      if (this.separator) {
        this.out += '\n';
        this.separator = false;
      }
      this.written += text.length;
      this.w.write(text);
    }
  }
  private separator = false;

  /** Everything formatted so far (kubectl get -w flushes after each event). */
  flush(): string {
    this.out += this.w.flush();
    const s = this.out;
    this.out = '';
    return s;
  }

  get wroteAnything(): boolean {
    return this.written > 0;
  }
}

/** kubectl -o json: json.MarshalIndent with four spaces; unstructured maps have sorted keys. */
export function toJson(obj: unknown): string {
  return `${JSON.stringify(sortKeys(obj), null, 4)}\n`;
}

/**
 * kubectl -o yaml: sigs.k8s.io/yaml (JSON → go-yaml v2): sorted keys, sequences not indented under
 * their key, YAML 1.1 resolution (strings that would read as numbers, booleans such as `yes`, or
 * timestamps are double-quoted), other strings that cannot be plain single-quoted, multi-line
 * strings as literal blocks, no line folding.
 */
export function toYaml(obj: unknown): string {
  const doc = new Document(sortKeys(obj), { schema: 'yaml-1.1' });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string' || node.value.includes('\n')) return;
      const plain = stringify(node.value, { schema: 'yaml-1.1', lineWidth: 0 }).trimEnd();
      if (!plain.startsWith('"') && !plain.startsWith("'")) return;
      let readsAsOther = false;
      try {
        const v: unknown = parse(node.value, { schema: 'yaml-1.1' });
        readsAsOther = v === null || ['number', 'boolean', 'bigint'].includes(typeof v) || v instanceof Date;
      } catch {
        // not even valid YAML when plain: only a quoting matter
      }
      // go-yaml v2: the encoder double-quotes what would resolve to another type; the emitter
      // falls back to single quotes for what is merely not plain-safe (unless it needs escapes).
      node.type = readsAsOther || /[\x00-\x1f\x7f-\x9f]/.test(node.value) ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE;
    },
  });
  return doc.toString({ indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false } as never);
}

/** The List kubectl builds around several objects for -o json/yaml/jsonpath. */
export function asList(items: Obj[], resourceVersion = ''): Obj {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion } };
}

/** Go's fmt %v of an unstructured value (custom-columns prints values with it). */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goValue(o[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

export interface CustomColumn {
  header: string;
  path: string;
}

/** Parses `-o custom-columns=NAME:.metadata.name,…` with kubectl's messages. */
export function parseCustomColumns(spec: string): CustomColumn[] {
  if (spec === '') throw new KubectlError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) throw new KubectlError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, colon), path: relaxedPath(part.slice(colon + 1)) };
  });
}

/** kubectl's RelaxedJSONPathExpression: `metadata.name`, `.metadata.name` and `{.metadata.name}` all mean one thing. */
export function relaxedPath(p: string): string {
  let s = p.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1);
  if (!s.startsWith('.') && !s.startsWith('$') && !s.startsWith('[')) s = `.${s}`;
  return s;
}

export function customColumnsText(cols: CustomColumn[], objs: Obj[], noHeaders: boolean): string {
  const lines: string[] = [];
  if (!noHeaders) lines.push(cols.map((c) => c.header).join('\t'));
  const paths = cols.map((c) => parseJsonPath(`{${c.path}}`));
  for (const o of objs) {
    lines.push(
      paths
        .map((p) => {
          const values = evalJsonPath(p, o, { allowMissingKeys: true })[0] ?? [];
          return values.length === 0 ? '<none>' : values.map(goValue).join(',');
        })
        .join('\t'),
    );
  }
  const w = new TabWriter(KUBECTL_TABLE);
  w.write(`${lines.join('\n')}\n`);
  return w.flush();
}

/** -o jsonpath=…: kubectl's JSONPath printer (missing keys allowed by default). */
export function jsonPathText(template: string, data: unknown, allowMissingKeys = true): string {
  try {
    return executeJsonPath(template, data, { allowMissingKeys });
  } catch (e) {
    // cli-runtime's JSONPathPrinter: the object as Go's %#v prints it
    if (e instanceof JsonPathError)
      throw new KubectlError(
        `error executing jsonpath ${JSON.stringify(template)}: Error executing template: ${e.message}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t${template}\n\tobject given to jsonpath engine was:\n\t\t${goSyntax(data)}\n\n`,
      );
    throw e;
  }
}

/** Go's %#v of a decoded JSON value (map[string]interface {} with sorted keys, []interface {}). */
function goSyntax(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSyntax).join(', ')}}`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  return `map[string]interface {}{${keys.map((k) => `${JSON.stringify(k)}:${goSyntax(o[k])}`).join(', ')}}`;
}

/** kubectl's GoTemplatePrinter (cli-runtime printers/template.go): Go's text/template named `output`, with kubectl's exists and base64decode. */
export function parseGoTemplate(template: string, allowMissingKeys = true): GoTemplate {
  try {
    return GoTemplate.parse(template, { name: 'output', funcs: KUBECTL_FUNCS, allowMissingKeys });
  } catch (e) {
    // template_flags.go ToPrinter (its message's own newline is the one kubectl would add)
    if (e instanceof TemplateError) throw new KubectlError(`error parsing template ${template}, ${e.message}`);
    throw e;
  }
}

/**
 * -o go-template=…: the template run over the object as JSON decodes it. A failed execution
 * prints kubectl's debugging text on stdout (through `io`), then fails with its error.
 */
export function goTemplateText(io: { stdout(s: string): void }, template: string, data: unknown, allowMissingKeys = true): string {
  try {
    return parseGoTemplate(template, allowMissingKeys).execute(data);
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    io.stdout(
      `Error executing template: ${e.message}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t${template}\n\traw data was:\n\t\t${JSON.stringify(data)}\n\tobject given to template engine was:\n\t\t${goValue(data)}\n\n`,
    );
    throw new KubectlError(`error executing template ${JSON.stringify(template)}: ${e.message}`);
  }
}

export { parsePath };
