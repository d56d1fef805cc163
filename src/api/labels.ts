// Label selectors: the string grammar of apimachinery's labels.Parse (`a=b,c!=d,e in (f,g),h notin (i),j,!k`)
// and metav1.LabelSelector objects (matchLabels + matchExpressions), both compiled to one matcher.
import { badRequest } from './errors.js';

type Op = 'in' | 'notin' | 'exists' | '!';
export interface Requirement {
  key: string;
  op: Op;
  values: string[];
}
export type Selector = readonly Requirement[];
export type Labels = Readonly<Record<string, string>> | undefined;

export function matches(sel: Selector, labels: Labels): boolean {
  for (const r of sel) {
    const v = labels?.[r.key];
    switch (r.op) {
      case 'in':
        if (v === undefined || !r.values.includes(v)) return false;
        break;
      case 'notin':
        if (v !== undefined && r.values.includes(v)) return false;
        break;
      case 'exists':
        if (v === undefined) return false;
        break;
      case '!':
        if (v !== undefined) return false;
        break;
    }
  }
  return true;
}

/** Parses the string form; throws BadRequest with the reason on bad syntax. */
export function parseSelector(text: string): Selector {
  const out: Requirement[] = [];
  const s = text.trim();
  if (!s) return out;
  let i = 0;
  const ws = () => {
    while (s[i] === ' ') i++;
  };
  const ident = () => {
    ws();
    const m = /^[A-Za-z0-9._/-]*/.exec(s.slice(i))![0];
    i += m.length;
    ws();
    return m;
  };
  const fail = (why: string): never => {
    throw badRequest(`unable to parse requirement: ${why}`);
  };
  for (;;) {
    ws();
    if (s[i] === '!') {
      i++;
      const key = ident();
      if (!key) fail(`found '${s[i] ?? 'EOS'}', expected: identifier`);
      out.push({ key, op: '!', values: [] });
    } else {
      const key = ident();
      if (!key) fail(`found '${s[i] ?? 'EOS'}', expected: !, identifier, or 'end of string'`);
      const rest = s.slice(i);
      if (rest.startsWith('==') || rest.startsWith('!=') || rest.startsWith('=')) {
        const op = rest.startsWith('!=') ? 'notin' : 'in';
        i += rest.startsWith('=') && !rest.startsWith('==') ? 1 : 2;
        out.push({ key, op, values: [ident()] });
      } else if (/^(in|notin)\s*\(/.test(rest)) {
        const op = rest.startsWith('in') ? 'in' : 'notin';
        i = s.indexOf('(', i) + 1;
        const close = s.indexOf(')', i);
        if (close < 0) fail(`found 'EOS', expected: ')'`);
        const values = s
          .slice(i, close)
          .split(',')
          .map((v) => v.trim());
        i = close + 1;
        out.push({ key, op, values });
      } else {
        out.push({ key, op: 'exists', values: [] });
      }
    }
    ws();
    if (i >= s.length) break;
    if (s[i] !== ',') fail(`found '${s[i]}', expected: ',' or 'end of string'`);
    i++;
  }
  return out;
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

/** metav1.LabelSelectorAsSelector: an empty selector matches everything. */
export function fromLabelSelector(ls: LabelSelectorObject | undefined): Selector {
  const out: Requirement[] = [];
  for (const [key, v] of Object.entries(ls?.matchLabels ?? {})) out.push({ key, op: 'in', values: [v] });
  for (const e of ls?.matchExpressions ?? []) {
    const op: Op = e.operator === 'In' ? 'in' : e.operator === 'NotIn' ? 'notin' : e.operator === 'Exists' ? 'exists' : '!';
    out.push({ key: e.key, op, values: e.values ?? [] });
  }
  return out;
}

/** The string form kubectl and `describe` print (`app=web,tier in (a,b)`). */
export function formatSelector(ls: LabelSelectorObject | undefined): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(ls?.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of ls?.matchExpressions ?? []) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${(e.values ?? []).join(',')})`);
  }
  return parts.join(',');
}
