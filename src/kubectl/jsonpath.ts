// kubectl's JSONPath templates (client-go util/jsonpath): literal text around `{…}` actions;
// actions are field paths (`.a.b`, `..a`, `['a.b']`), array subscripts (`[0]`, `[-1]`, `[1:3]`,
// `[*]`, `[0,2]`), filters (`[?(@.type=="InternalIP")]`), `range … end` and string literals.
// Results of one action are joined by spaces; maps and lists print as compact JSON.

export type Segment =
  | { t: 'field'; names: string[] } // several names = union
  | { t: 'recursive' }
  | { t: 'index'; start?: number; end?: number; step?: number; all?: boolean }
  | { t: 'union'; indices: number[] }
  | { t: 'filter'; left: Segment[]; op?: string; right?: Segment[] | string | number | boolean };

export type TemplateNode =
  | { t: 'text'; text: string }
  | { t: 'path'; segs: Segment[] }
  | { t: 'range'; segs: Segment[]; body: TemplateNode[] };

export class JsonPathError extends Error {}

/** Parses a whole template. */
export function parseJsonPath(template: string): TemplateNode[] {
  const root: TemplateNode[] = [];
  const stack: TemplateNode[][] = [root];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      stack.at(-1)!.push({ t: 'text', text: template.slice(i) });
      break;
    }
    if (open > i) stack.at(-1)!.push({ t: 'text', text: template.slice(i, open) });
    const close = findClose(template, open);
    if (close < 0) throw new JsonPathError(`unclosed action`);
    const inner = template.slice(open + 1, close).trim();
    i = close + 1;
    if (inner === 'end') {
      if (stack.length === 1) throw new JsonPathError('not in range, nothing to end');
      stack.pop();
      continue;
    }
    // `range` is an identifier: what ends it (a space, `.`, `[`…) may start the path (`{range.items[*]}`)
    if (/^range($|[\s.[\]$@,])/.test(inner)) {
      const node: TemplateNode = { t: 'range', segs: parsePath(inner.slice(5).trim()), body: [] };
      stack.at(-1)!.push(node);
      stack.push(node.body);
      continue;
    }
    if (inner.startsWith('"')) {
      stack.at(-1)!.push({ t: 'text', text: unquote(inner) });
      continue;
    }
    stack.at(-1)!.push({ t: 'path', segs: parsePath(inner) });
  }
  // a range left open runs to the template's end, as kubectl's does
  return root;
}

function findClose(s: string, open: number): number {
  let quote = '';
  for (let i = open + 1; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '}') return i;
  }
  return -1;
}

function unquote(s: string): string {
  if (!s.endsWith('"') || s.length < 2) throw new JsonPathError(`unterminated string ${s}`);
  return s.slice(1, -1).replace(/\\(.)/g, (_, ch: string) => ({ n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' })[ch] ?? ch);
}

/** Parses one path such as `.items[*].metadata.name` or `$.a`. */
export function parsePath(src: string): Segment[] {
  const segs: Segment[] = [];
  let i = 0;
  if (src[i] === '$') i++;
  if (src[i] === '@') i++;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '.') {
      if (src[i + 1] === '.') {
        segs.push({ t: 'recursive' });
        i += 1; // the name after `..` is read as a field
        continue;
      }
      i++;
      // parser.go advance(): a backslash takes the next character into the name (`.data.\.dockerconfigjson`)
      const m = /^(?:\\.|[^.[\]\s()=!<>,\\])*/.exec(src.slice(i))![0];
      if (m === '') continue; // a lone `.` is the current object
      segs.push({ t: 'field', names: [m.replace(/\\/g, '')] });
      i += m.length;
    } else if (ch === '[') {
      const close = matchBracket(src, i);
      const body = src.slice(i + 1, close).trim();
      i = close + 1;
      segs.push(parseSubscript(body));
    } else if (/[A-Za-z_]/.test(ch) && segs.length === 0) {
      // kubectl's relaxed form for custom-columns: `metadata.name`
      const m = /^[^.[\]\s]*/.exec(src.slice(i))![0];
      segs.push({ t: 'field', names: [m] });
      i += m.length;
    } else if (ch === ' ') {
      i++;
    } else {
      throw new JsonPathError(
        `unrecognized character in action: U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${ch}'`,
      );
    }
  }
  return segs;
}

function matchBracket(s: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return i;
  }
  throw new JsonPathError('unterminated array');
}

function parseSubscript(body: string): Segment {
  if (body === '*') return { t: 'index', all: true };
  if (body.startsWith('?(') && body.endsWith(')')) return parseFilter(body.slice(2, -1).trim());
  if (/^['"]/.test(body)) {
    const names = body.split(',').map((p) => p.trim().slice(1, -1));
    return { t: 'field', names };
  }
  if (body.includes(':')) {
    const [a, b, st] = body.split(':').map((x) => x.trim());
    const n = (x: string | undefined) => (x === undefined || x === '' ? undefined : parseInt(x, 10));
    return { t: 'index', start: n(a), end: n(b), step: n(st) };
  }
  if (body.includes(',')) return { t: 'union', indices: body.split(',').map((x) => parseInt(x.trim(), 10)) };
  if (!/^-?\d+$/.test(body)) throw new JsonPathError(`invalid array index ${body}`);
  return { t: 'union', indices: [parseInt(body, 10)] };
}

function parseFilter(expr: string): Segment {
  const m = /^(.*?)\s*(==|!=|<=|>=|<|>|=~)\s*(.*)$/.exec(expr);
  if (!m) return { t: 'filter', left: parsePath(expr) };
  const rhs = m[3]!.trim();
  let right: Segment[] | string | number | boolean;
  if (/^['"]/.test(rhs)) right = rhs.slice(1, -1);
  else if (/^-?\d+(\.\d+)?$/.test(rhs)) right = Number(rhs);
  else if (rhs === 'true' || rhs === 'false') right = rhs === 'true';
  else right = parsePath(rhs);
  return { t: 'filter', left: parsePath(m[1]!.trim()), op: m[2]!, right };
}

export interface EvalOptions {
  /** kubectl's --allow-missing-template-keys (default true): a missing key yields nothing. */
  allowMissingKeys: boolean;
}

/** Evaluates one template node list against a value: the values per action, in order. */
export function evalJsonPath(nodes: TemplateNode[], data: unknown, opts: EvalOptions): unknown[][] {
  const out: unknown[][] = [];
  for (const n of nodes) {
    if (n.t === 'text') out.push([n.text]);
    else if (n.t === 'path') out.push(walk([data], n.segs, opts));
    else for (const item of walk([data], n.segs, opts)) out.push(...evalJsonPath(n.body, item, opts).filter((r) => r.length > 0));
  }
  return out;
}

/** Executes a template to the text kubectl prints. */
export function executeJsonPath(template: string, data: unknown, opts: EvalOptions): string {
  return render(parseJsonPath(template), data, opts);
}

function render(nodes: TemplateNode[], data: unknown, opts: EvalOptions): string {
  let s = '';
  for (const n of nodes) {
    if (n.t === 'text') s += n.text;
    else if (n.t === 'path') s += walk([data], n.segs, opts).map(printValue).join(' ');
    else for (const item of walk([data], n.segs, opts)) s += render(n.body, item, opts);
  }
  return s;
}

export function printValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return v === null ? 'null' : '';
  if (typeof v === 'object') return JSON.stringify(sortKeys(v));
  return String(v);
}

/** Go's encoding/json writes map keys sorted. */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) o[k] = sortKeys((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

function walk(values: unknown[], segs: Segment[], opts: EvalOptions): unknown[] {
  let cur = values;
  for (const seg of segs) cur = step(cur, seg, opts);
  return cur;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function step(values: unknown[], seg: Segment, opts: EvalOptions): unknown[] {
  const out: unknown[] = [];
  switch (seg.t) {
    case 'field':
      for (const v of values) {
        for (const name of seg.names) {
          if (name === '*' && isObj(v)) {
            out.push(
              ...Object.keys(v)
                .sort()
                .map((k) => v[k]),
            );
          } else if (isObj(v) && name in v) out.push(v[name]);
          else if (!opts.allowMissingKeys) throw new JsonPathError(`${name} is not found`);
        }
      }
      return out;
    case 'recursive': {
      const visit = (v: unknown) => {
        out.push(v);
        if (Array.isArray(v)) v.forEach(visit);
        else if (isObj(v))
          Object.keys(v)
            .sort()
            .forEach((k) => visit(v[k]));
      };
      values.forEach(visit);
      return out;
    }
    case 'index':
      for (const v of values) {
        if (!Array.isArray(v)) {
          if (!opts.allowMissingKeys) throw new JsonPathError(`object is not array`);
          continue;
        }
        if (seg.all) {
          out.push(...v);
          continue;
        }
        const len = v.length;
        const norm = (x: number) => (x < 0 ? Math.max(0, x + len) : Math.min(x, len));
        const start = norm(seg.start ?? 0);
        const end = norm(seg.end ?? len);
        const stp = seg.step && seg.step > 0 ? seg.step : 1;
        for (let i = start; i < end; i += stp) out.push(v[i]);
      }
      return out;
    case 'union':
      for (const v of values) {
        if (!Array.isArray(v)) {
          if (!opts.allowMissingKeys) throw new JsonPathError(`object is not array`);
          continue;
        }
        for (const idx of seg.indices) {
          const i = idx < 0 ? idx + v.length : idx;
          if (i < 0 || i >= v.length) {
            if (!opts.allowMissingKeys) throw new JsonPathError(`array index out of bounds: index ${idx}, length ${v.length}`);
            continue;
          }
          out.push(v[i]);
        }
      }
      return out;
    case 'filter':
      for (const v of values) {
        const items = Array.isArray(v) ? v : [v];
        for (const item of items) if (matches(item, seg, opts)) out.push(item);
      }
      return out;
  }
}

function matches(item: unknown, seg: Extract<Segment, { t: 'filter' }>, opts: EvalOptions): boolean {
  const left = walk([item], seg.left, { allowMissingKeys: true });
  if (!seg.op) return left.length > 0;
  const right = Array.isArray(seg.right) ? walk([item], seg.right, { allowMissingKeys: true })[0] : seg.right;
  if (left.length === 0) return false;
  const l = left[0];
  void opts;
  switch (seg.op) {
    case '==':
      return l === right || (typeof l === 'number' && Number(right) === l);
    case '!=':
      return l !== right;
    case '<':
      return Number(l) < Number(right);
    case '>':
      return Number(l) > Number(right);
    case '<=':
      return Number(l) <= Number(right);
    case '>=':
      return Number(l) >= Number(right);
    case '=~':
      return typeof l === 'string' && new RegExp(String(right)).test(l);
  }
  return false;
}
