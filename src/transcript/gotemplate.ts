// The part of Go's text/template that docker's --format and -f and kubectl's -o go-template take:
// Go's own functions (index, len, println, print, printf %s/%d/%v, eq, ne, not, and, or) and the
// ones each tool adds (docker/cli templates/templates.go: json, split, join, title, lower, upper,
// pad, truncate; kubectl, cli-runtime printers/template.go: exists, base64decode). Data is plain
// JSON-like values: objects are Go maps (range visits their keys sorted, as Go does); a missing
// key is an error with `missingkey=error` (docker inspect's fallback) and `<no value>` by default
// (kubectl's --allow-missing-template-keys).

export class TemplateError extends Error {}

type Value = unknown;

interface Pos {
  readonly offset: number;
}
type Operand =
  | (Pos & { kind: 'field'; base: 'dot' | '$'; path: string[]; text: string })
  | (Pos & { kind: 'string' | 'number' | 'bool' | 'nil'; value: Value; text: string })
  | (Pos & { kind: 'func'; name: string; text: string })
  | (Pos & { kind: 'pipe'; pipe: Pipeline; text: string; path: string[] });
type Command = Operand[];
type Pipeline = Command[];
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipeline }
  | { kind: 'if' | 'with' | 'range'; pipe: Pipeline; body: Node[]; otherwise: Node[] };

/** docker/cli's template functions (templates.go basicFunctions). */
export const DOCKER_FUNCS: readonly string[] = ['json', 'split', 'join', 'title', 'lower', 'upper', 'pad', 'truncate'];
/** kubectl's (cli-runtime printers/template.go NewGoTemplatePrinter). */
export const KUBECTL_FUNCS: readonly string[] = ['exists', 'base64decode'];

export interface TemplateOptions {
  /** The template's name in Go's messages: `template: NAME:1:2: executing "NAME" …`. */
  readonly name?: string;
  /** The functions the tool adds to Go's builtins. */
  readonly funcs?: readonly string[];
  /** A field a map lacks evaluates to no value (printed `<no value>`) instead of failing. */
  readonly allowMissingKeys?: boolean;
}

const BUILTINS = ['index', 'len', 'println', 'print', 'printf', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'not', 'and', 'or'];

/** A parsed template; execute() renders it against data. */
export class GoTemplate {
  private constructor(
    private readonly source: string,
    private readonly nodes: Node[],
    private readonly opts: TemplateOptions,
  ) {}

  /** Parses `source`; a syntax error throws TemplateError with Go's `template: NAME:LINE: …` text. Docker's functions by default. */
  static parse(source: string, opts: TemplateOptions = { funcs: DOCKER_FUNCS }): GoTemplate {
    const funcs = new Set([...BUILTINS, ...(opts.funcs ?? [])]);
    return new GoTemplate(source, new Parser(source, funcs, opts.name ?? '').parseAll(), opts);
  }

  execute(data: Value): string {
    const out: string[] = [];
    this.run(this.nodes, data, data, out);
    return out.join('');
  }

  private run(nodes: readonly Node[], dot: Value, root: Value, out: string[]): void {
    for (const n of nodes) {
      if (n.kind === 'text') out.push(n.text);
      else if (n.kind === 'action') out.push(printValue(this.pipe(n.pipe, dot, root)));
      else {
        const v = this.pipe(n.pipe, dot, root);
        if (n.kind === 'range') {
          const items = rangeItems(v);
          if (items.length === 0) this.run(n.otherwise, dot, root, out);
          for (const item of items) this.run(n.body, item, root, out);
        } else if (truth(v)) this.run(n.body, n.kind === 'with' ? v : dot, root, out);
        else this.run(n.otherwise, dot, root, out);
      }
    }
  }

  private pipe(pipe: Pipeline, dot: Value, root: Value): Value {
    let prev: Value[] = [];
    for (const cmd of pipe) prev = [this.command(cmd, dot, root, prev)];
    return prev[0];
  }

  private command(cmd: Command, dot: Value, root: Value, piped: Value[]): Value {
    const [head, ...rest] = cmd;
    if (head!.kind === 'func') {
      const args = [...rest.map((o) => this.operand(o, dot, root)), ...piped];
      return callFunc(head!.name, args, () => this.fail(head!, `error calling ${head!.name}`));
    }
    if (rest.length > 0 || piped.length > 0) this.fail(head!, `can't give argument to non-function ${head!.text}`);
    return this.operand(head!, dot, root);
  }

  private operand(o: Operand, dot: Value, root: Value): Value {
    switch (o.kind) {
      case 'field':
        return this.walk(o, o.base === 'dot' ? dot : root, o.path);
      case 'pipe':
        // a chain node: `(index .items 0).metadata.name`
        return this.walk(o, this.pipe(o.pipe, dot, root), o.path);
      case 'func':
        return callFunc(o.name, [], () => this.fail(o, `error calling ${o.name}`));
      default:
        return o.value;
    }
  }

  /** Field access down `path` from `v`, as evalField does for maps. */
  private walk(o: Operand, v: Value, path: readonly string[]): Value {
    for (const key of path) {
      // evalField: a missing key's zero value stays invalid, and a field of it is no value too
      if (v === undefined && this.opts.allowMissingKeys) return undefined;
      if (v === null || v === undefined) this.fail(o, `nil pointer evaluating interface {}.${key}`);
      if (typeof v !== 'object' || Array.isArray(v)) this.fail(o, `can't evaluate field ${key} in type ${goType(v)}`);
      if (!Object.hasOwn(v as object, key)) {
        if (this.opts.allowMissingKeys) return undefined;
        this.fail(o, `map has no entry for key "${key}"`);
      }
      v = (v as Record<string, Value>)[key];
    }
    return v;
  }

  private fail(o: Operand, why: string): never {
    const before = this.source.slice(0, o.offset);
    const line = before.split('\n').length;
    const col = before.length - (before.lastIndexOf('\n') + 1);
    const name = this.opts.name ?? '';
    throw new TemplateError(`template: ${name}:${line}:${col}: executing "${name}" at <${o.text}>: ${why}`);
  }
}

function goType(v: Value): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'interface {}';
}

function truth(v: Value): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

function rangeItems(v: Value): Value[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, Value>;
    return Object.keys(o)
      .sort()
      .map((k) => o[k]);
  }
  if (typeof v === 'number') return Array.from({ length: Math.max(0, Math.trunc(v)) }, (_, i) => i);
  throw new TemplateError(`range can't iterate over ${printValue(v)}`);
}

/** Go's fmt %v of a decoded JSON value (maps with sorted keys, as fmt prints them). */
export function printValue(v: Value): string {
  if (v === undefined || v === null) return '<no value>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(printInner).join(' ')}]`;
  const o = v as Record<string, Value>;
  return `map[${Object.keys(o)
    .sort()
    .map((k) => `${k}:${printInner(o[k])}`)
    .join(' ')}]`;
}

function printInner(v: Value): string {
  return v === null || v === undefined ? '<nil>' : printValue(v);
}

/** Go's json.Encoder without HTML escaping, as docker/cli's formatJSON. */
function goJson(v: Value): string {
  return JSON.stringify(v ?? null).replace(/[\u2028\u2029]/g, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
}

function callFunc(name: string, args: Value[], fail: () => never): Value {
  const str = (i: number) => (typeof args[i] === 'string' ? (args[i] as string) : printValue(args[i]));
  switch (name) {
    case 'json':
      return goJson(args[0]);
    case 'split':
      return str(0).split(str(1));
    case 'join':
      return Array.isArray(args[0]) ? args[0].map((x) => printValue(x)).join(str(1)) : args[0] == null ? '' : fail();
    case 'title':
      return str(0).replace(/(^|[^A-Za-z0-9_'])([a-z])/g, (_, p: string, c: string) => p + c.toUpperCase());
    case 'lower':
      return str(0).toLowerCase();
    case 'upper':
      return str(0).toUpperCase();
    case 'pad':
      return str(0) === '' ? '' : ' '.repeat(Number(args[1])) + str(0) + ' '.repeat(Number(args[2]));
    case 'truncate':
      return str(0).length < Number(args[1]) ? str(0) : str(0).slice(0, Number(args[1]));
    case 'base64decode': {
      // kubectl's base64decode: base64.StdEncoding, its error naming the input
      const text = str(0);
      if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return fail();
      return new TextDecoder().decode(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));
    }
    case 'exists': {
      // kubectl's exists(item, indices...): whether each key or index is there, in turn
      let v = args[0];
      for (const k of args.slice(1)) {
        if (Array.isArray(v) && typeof k === 'number' && k >= 0 && k < v.length) v = v[k];
        else if (v && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, String(k)))
          v = (v as Record<string, Value>)[String(k)];
        else return false;
      }
      return true;
    }
    case 'index': {
      let v = args[0];
      for (const k of args.slice(1)) {
        if (v === null || v === undefined) return undefined;
        v = (v as Record<string, Value>)[String(k)];
      }
      return v;
    }
    case 'len':
      return Array.isArray(args[0])
        ? args[0].length
        : typeof args[0] === 'string'
          ? args[0].length
          : args[0] && typeof args[0] === 'object'
            ? Object.keys(args[0]).length
            : fail();
    case 'print':
      return args.map(printValue).join('');
    case 'println':
      return `${args.map(printValue).join(' ')}\n`;
    case 'printf': {
      let i = 1;
      return str(0).replace(/%([svdq%])/g, (_, c: string) =>
        c === '%' ? '%' : c === 'q' ? JSON.stringify(printValue(args[i++])) : printValue(args[i++]),
      );
    }
    case 'eq':
      return args.slice(1).some((a) => a === args[0]);
    case 'ne':
      return args[0] !== args[1];
    case 'lt':
      return (args[0] as number) < (args[1] as number);
    case 'le':
      return (args[0] as number) <= (args[1] as number);
    case 'gt':
      return (args[0] as number) > (args[1] as number);
    case 'ge':
      return (args[0] as number) >= (args[1] as number);
    case 'not':
      return !truth(args[0]);
    case 'and':
      return args.find((a) => !truth(a)) ?? args[args.length - 1];
    case 'or':
      return args.find((a) => truth(a)) ?? args[args.length - 1];
    default:
      return fail();
  }
}

class Parser {
  private pos = 0;
  constructor(
    private readonly src: string,
    private readonly funcs: ReadonlySet<string>,
    private readonly name: string,
  ) {}

  parseAll(): Node[] {
    const { nodes, end } = this.parseList();
    if (end) this.error(`unexpected {{${end}}}`);
    return nodes;
  }

  private line(at = this.pos): number {
    return this.src.slice(0, at).split('\n').length;
  }

  private error(why: string, at = this.pos): never {
    throw new TemplateError(`template: ${this.name}:${this.line(at)}: ${why}`);
  }

  /** Nodes up to {{end}} or {{else}} (returned as `end`), or to the end of the source. */
  private parseList(): { nodes: Node[]; end?: 'end' | 'else' } {
    const nodes: Node[] = [];
    for (;;) {
      const open = this.src.indexOf('{{', this.pos);
      if (open < 0) {
        if (this.pos < this.src.length) nodes.push({ kind: 'text', text: this.src.slice(this.pos) });
        this.pos = this.src.length;
        return { nodes };
      }
      let text = this.src.slice(this.pos, open);
      let start = open + 2;
      if (this.src.startsWith('- ', start)) {
        text = text.replace(/[ \t\r\n]+$/, '');
        start += 2;
      }
      if (text) nodes.push({ kind: 'text', text });
      const close = this.findClose(start);
      let inner = this.src.slice(start, close);
      let after = close + 2;
      if (inner.endsWith(' -')) {
        inner = inner.slice(0, -2);
        const m = /^[ \t\r\n]*/.exec(this.src.slice(after))!;
        after += m[0].length;
      }
      this.pos = after;
      const words = inner.trim();
      if (words.startsWith('/*')) continue;
      const keyword = /^(if|with|range|end|else)\b/.exec(words)?.[1];
      if (keyword === 'end' || keyword === 'else') {
        if (keyword === 'else' && words !== 'else') this.error(`unexpected "${words.slice(4).trim()}" in else`);
        return { nodes, end: keyword };
      }
      if (keyword) {
        const pipe = new PipeParser(
          this.src,
          start + inner.indexOf(keyword) + keyword.length,
          start + inner.length,
          (w, at) => this.error(w, at),
          this.funcs,
        ).parse();
        const body = this.parseList();
        let otherwise: Node[] = [];
        if (body.end === 'else') {
          const rest = this.parseList();
          if (rest.end !== 'end') this.error(`unexpected EOF`);
          otherwise = rest.nodes;
        } else if (body.end !== 'end') this.error(`unexpected EOF`);
        nodes.push({ kind: keyword as 'if' | 'with' | 'range', pipe, body: body.nodes, otherwise });
        continue;
      }
      if (words === '') this.error('missing value for command', start);
      nodes.push({
        kind: 'action',
        pipe: new PipeParser(this.src, start, start + inner.length, (w, at) => this.error(w, at), this.funcs).parse(),
      });
    }
  }

  private findClose(from: number): number {
    let i = from;
    while (i < this.src.length) {
      const c = this.src[i]!;
      if (c === '"' || c === '`') {
        const end = this.src.indexOf(c, i + 1);
        if (end < 0) break;
        i = end + 1;
        continue;
      }
      if (this.src.startsWith('}}', i)) return i;
      i++;
    }
    this.error('unclosed action', from);
  }
}

class PipeParser {
  private i: number;
  constructor(
    private readonly src: string,
    start: number,
    private readonly end: number,
    private readonly error: (why: string, at: number) => never,
    private readonly funcs: ReadonlySet<string>,
  ) {
    this.i = start;
  }

  parse(): Pipeline {
    const pipe = this.pipeline(false);
    if (pipe.length === 0) this.error('missing value for command', this.i);
    return pipe;
  }

  private skip(): void {
    while (this.i < this.end && /\s/.test(this.src[this.i]!)) this.i++;
  }

  private pipeline(inParens: boolean): Pipeline {
    const pipe: Pipeline = [];
    let cmd: Command = [];
    for (;;) {
      this.skip();
      if (this.i >= this.end || (inParens && this.src[this.i] === ')')) break;
      if (this.src[this.i] === '|') {
        if (cmd.length === 0) this.error('missing command', this.i);
        pipe.push(cmd);
        cmd = [];
        this.i++;
        continue;
      }
      cmd.push(this.operand());
    }
    if (cmd.length > 0) pipe.push(cmd);
    else if (pipe.length > 0) this.error('missing command', this.i);
    return pipe;
  }

  private operand(): Operand {
    const at = this.i;
    const rest = this.src.slice(this.i, this.end);
    let m: RegExpExecArray | null;
    if (rest[0] === '(') {
      this.i++;
      const pipe = this.pipeline(true);
      if (this.src[this.i] !== ')') this.error('unclosed left paren', at);
      this.i++;
      const chain = /^(?:\.[A-Za-z0-9_]+)+/.exec(this.src.slice(this.i, this.end))?.[0] ?? '';
      this.i += chain.length;
      return { kind: 'pipe', pipe, offset: at, text: this.src.slice(at, this.i), path: chain === '' ? [] : chain.slice(1).split('.') };
    }
    if ((m = /^(\$?)((?:\.[A-Za-z0-9_]+)+|\.)/.exec(rest)) || (m = /^(\$)()/.exec(rest))) {
      this.i += m[0].length;
      const path = m[2] === '.' || m[2] === '' ? [] : m[2]!.slice(1).split('.');
      return { kind: 'field', base: m[1] ? '$' : 'dot', path, offset: at, text: m[0] };
    }
    if ((m = /^"((?:[^"\\]|\\.)*)"/.exec(rest))) {
      this.i += m[0].length;
      return { kind: 'string', value: JSON.parse(m[0]) as string, offset: at, text: m[0] };
    }
    if ((m = /^`([^`]*)`/.exec(rest))) {
      this.i += m[0].length;
      return { kind: 'string', value: m[1], offset: at, text: m[0] };
    }
    if ((m = /^-?\d+(\.\d+)?/.exec(rest))) {
      this.i += m[0].length;
      return { kind: 'number', value: Number(m[0]), offset: at, text: m[0] };
    }
    if ((m = /^(true|false|nil)\b/.exec(rest))) {
      this.i += m[0].length;
      return m[1] === 'nil'
        ? { kind: 'nil', value: null, offset: at, text: 'nil' }
        : { kind: 'bool', value: m[1] === 'true', offset: at, text: m[1]! };
    }
    if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) {
      this.i += m[0].length;
      if (!this.funcs.has(m[0])) this.error(`function "${m[0]}" not defined`, at);
      return { kind: 'func', name: m[0], offset: at, text: m[0] };
    }
    this.error(`unexpected "${rest[0]}" in command`, at);
  }
}
