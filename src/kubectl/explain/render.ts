// `kubectl explain`'s output as kubectl v1.32 renders an OpenAPI v3 document with its plaintext
// template (kubectl/pkg/explain/v2/templates/plaintext.tmpl): GROUP/KIND/VERSION, then either the
// type's DESCRIPTION and FIELDS or, down a field path, the field's FIELD line (type, enum) first.
// Fields come in name order, each `name\t<type>` (typeGuess), ` -required-`, a short enum list, and
// its description word-wrapped (go-wordwrap) and indented; --recursive lists the names only, nested.
// A $ref seen before on the way down stops there, as the template guards against cycles.
import type { OpenApiSchema } from './document.js';

export interface ExplainTarget {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly schema: OpenApiSchema;
  /** A `#/components/schemas/NAME` reference's schema. */
  resolve(ref: string): OpenApiSchema | undefined;
}

/** What kubectl prints on stdout, and its error when the field path leads nowhere. */
export interface Explained {
  readonly stdout: string;
  readonly error?: string;
}

export function renderExplain(t: ExplainTarget, fieldPath: readonly string[], recursive: boolean): Explained {
  const head = `${t.group ? `GROUP:      ${t.group}\n` : ''}KIND:       ${t.kind}\nVERSION:    ${t.version}\n\n`;
  const body = new Renderer(t, recursive).output(t.schema, fieldPath, new Set());
  if (!body) return { stdout: head, error: `error: field "${fieldPath[fieldPath.length - 1]}" does not exist` };
  return { stdout: `${head}${body}\n` };
}

/** A schema's map of further fields, unless it is `true`/`false`. */
const mapOf = (s: OpenApiSchema): OpenApiSchema | undefined =>
  typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;

class Renderer {
  constructor(
    private readonly t: ExplainTarget,
    private readonly recursive: boolean,
  ) {}

  private resolved(s: OpenApiSchema): OpenApiSchema {
    return (s.$ref !== undefined ? this.t.resolve(s.$ref) : undefined) ?? s;
  }

  /** The template's "output": down the path, then the description and fields where it ends. */
  output(s: OpenApiSchema, path: readonly string[], history: ReadonlySet<string>): string {
    const ref = s.$ref ?? '';
    const next = new Set(history).add(ref);
    const r = this.resolved(s);
    if (path.length === 0) {
      const fields = this.fieldList(r, 1, new Set());
      return `DESCRIPTION:\n${indent(4, wordWrap(this.description(r) || '<empty>', 76))}\n${fields ? `FIELDS:\n${fields}` : ''}`;
    }
    if (ref && history.has(ref)) return '';
    const sub = r.properties?.[path[0]!];
    if (sub) {
      const head = path.length === 1 ? `FIELD: ${path[0]} <${this.typeGuess(sub)}>\n${enumText(sub, true, -1, 0)}\n\n` : '';
      // a new type's history starts afresh (the template passes an empty one)
      return head + this.output(sub, path.slice(1), new Set());
    }
    if (r.items) return this.output(r.items, path, next);
    const map = mapOf(r);
    if (map) return this.output(map, path, next);
    for (const alt of r.allOf ?? []) {
      const o = this.output(alt, path, next);
      if (o) return o;
    }
    return '';
  }

  /** Every description on the way through refs, allOf, items and maps, one per line. */
  private description(s: OpenApiSchema): string {
    const r = this.resolved(s);
    let d = r.description ? `${r.description}\n` : '';
    for (const alt of r.allOf ?? []) d += this.description(alt);
    if (r.items) d += this.description(r.items);
    const map = mapOf(r);
    if (map) d += this.description(map);
    return d;
  }

  private fieldList(s: OpenApiSchema, level: number, history: ReadonlySet<string>): string {
    const ref = s.$ref ?? '';
    if (ref && history.has(ref)) return '';
    const next = new Set(history).add(ref);
    const r = this.resolved(s);
    let out = '';
    const props = r.properties ?? {};
    for (const name of Object.keys(props).sort()) {
      out += this.fieldDetail(name, r, level);
      if (this.recursive) out += this.fieldList(props[name]!, level + 1, next);
    }
    for (const alt of r.allOf ?? []) out += this.fieldList(alt, level, next);
    if (r.items) out += this.fieldList(r.items, level, next);
    const map = mapOf(r);
    if (map) out += this.fieldList(map, level, next);
    return out;
  }

  private fieldDetail(name: string, parent: OpenApiSchema, level: number): string {
    const at = level * 2;
    const f = parent.properties![name]!;
    let out = `${' '.repeat(at)}${name}\t<${this.typeGuess(f)}>`;
    if (parent.required?.includes(name)) out += ' -required-';
    out += `${enumText(f, false, 4, at)}\n`;
    if (this.recursive) return out;
    return `${out}${indent(at + 2, wordWrap(f.description || '<no description>', 78 - at))}\n\n`;
  }

  /** `string`, `integer`, `Object`, `[]Container`, `map[string]string`: the type a field reads as. */
  private typeGuess(s: OpenApiSchema): string {
    if (s.items) return `[]${this.typeGuess(s.items)}`;
    const map = mapOf(s);
    if (map) return `map[string]${this.typeGuess(map)}`;
    if (s.allOf?.length === 1 && !s.properties) return this.typeGuess(s.allOf[0]!);
    if (s.$ref !== undefined) {
      const r = this.t.resolve(s.$ref);
      // a named object type by its name; a ref to a primitive (Time) by that primitive
      if (!r || !r.type || r.type === 'object') return s.$ref.split('/').pop()!.split('.').pop() || 'Object';
      return r.type;
    }
    return s.type === 'object' ? 'Object' : s.type || 'Object';
  }
}

/** The template's extractEnum: `enum: A, B, C, D, ....` under a field, or `ENUM:` with one value a line. */
function enumText(s: OpenApiSchema, long: boolean, limit: number, at: number): string {
  if (!s.enum?.length) return '';
  let out = long ? 'ENUM:' : `\n${' '.repeat(at)}enum: `;
  for (let i = 0; i < s.enum.length; i++) {
    if (limit > -1 && i >= limit) {
      out += ', ....';
      break;
    }
    if (long) out += '\n    ';
    else if (i > 0) out += ', ';
    const v = s.enum[i];
    out += v === '' ? '""' : String(v);
  }
  return out;
}

/** The template's indent: every line, the first too, after `n` spaces. */
function indent(n: number, text: string): string {
  const pad = ' '.repeat(n);
  return pad + text.replaceAll('\n', `\n${pad}`);
}

/**
 * go-wordwrap's WrapString (v1.0.1, as kubectl vendors it): breaks at white space only, before a
 * word that would pass `lim` runes (a longer word stays whole on its line); the spaces at a break
 * are dropped; existing line breaks stay.
 */
export function wordWrap(s: string, lim: number): string {
  let out = '';
  let current = 0;
  let word = '';
  let wordLen = 0;
  let space = '';
  let spaceLen = 0;
  for (const ch of s) {
    if (ch === '\n') {
      if (wordLen === 0) {
        if (current + spaceLen <= lim) out += space;
      } else out += space + word;
      out += ch;
      current = 0;
      word = space = '';
      wordLen = spaceLen = 0;
    } else if (ch !== '\u00a0' && /\s/u.test(ch)) {
      if (spaceLen === 0 || wordLen > 0) {
        current += spaceLen + wordLen;
        out += space + word;
        word = space = '';
        wordLen = spaceLen = 0;
      }
      space += ch;
      spaceLen++;
    } else {
      word += ch;
      wordLen++;
      if (current + spaceLen + wordLen > lim && wordLen < lim) {
        out += '\n';
        current = 0;
        space = '';
        spaceLen = 0;
      }
    }
  }
  if (wordLen === 0) return current + spaceLen <= lim ? out + space : out;
  return out + space + word;
}
