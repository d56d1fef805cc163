// The writing kubectl's describers share (pkg/describe/describe.go): its PrefixWriter over one tab
// writer (minwidth 0, padding 2, two spaces an indent level), printLabelsMultiline,
// printAnnotationsMultiline, DescribeEvents and formatEndpointSlices.
import { since } from './duration.js';
import { LAST_APPLIED } from './apply.js';
import { KUBECTL_DESCRIBE, TabWriter } from './tabwriter.js';
import { joinHostPort, type Obj } from './tables.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC1123Z in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`; the zero time for a missing one. */
export function rfc1123z(ts: string | undefined): string {
  if (!ts) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(ts);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** describe.go's PrefixWriter over one tab writer. */
export class Out {
  private readonly tw = new TabWriter(KUBECTL_DESCRIBE);
  private text = '';
  /** `raw`: a PrefixWriter straight onto the buffer, its tabs left in (rollout history --revision's printTemplate). */
  constructor(
    readonly now: number,
    private readonly raw = false,
  ) {}
  w(level: number, s: string): void {
    if (this.raw) this.text += '  '.repeat(level) + s;
    else this.tw.write('  '.repeat(level) + s);
  }
  flush(): void {
    this.text += this.tw.flush();
  }
  done(): string {
    this.flush();
    return this.text;
  }
}

export function labelsMultiline(o: Out, title: string, labels: Record<string, string> | undefined, indent = ''): void {
  o.w(0, `${indent}${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return o.w(0, '<none>\n');
  keys.forEach((k, i) => o.w(0, `${i ? `${indent}\t` : ''}${k}=${labels![k]}\n`));
}

export function annotationsMultiline(o: Out, title: string, annotations: Record<string, string> | undefined): void {
  o.w(0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {})
    .filter((k) => k !== LAST_APPLIED)
    .sort();
  if (keys.length === 0) return o.w(0, '<none>\n');
  keys.forEach((k, i) => {
    if (i) o.w(0, '\t');
    const value = annotations![k]!.replace(/\n$/, '');
    if (value.length + k.length + 2 > 140 || value.includes('\n')) {
      o.w(0, `${k}:\n`);
      for (const s of value.split('\n')) o.w(0, `\t  ${s.length > 138 ? `${s.slice(0, 138)}...` : s}\n`);
    } else o.w(0, `${k}: ${value}\n`);
  });
}

/** DescribeEvents: `Events:  <none>`, or a table flushed apart from the lines above it. */
export function describeEvents(o: Out, events: Obj[] | undefined): void {
  if (events === undefined) return;
  if (events.length === 0) return o.w(0, 'Events:\t<none>\n');
  o.flush();
  const t = (e: Obj) => Date.parse(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '') || 0;
  const sorted = [...events].sort((a, b) => t(a) - t(b));
  o.w(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  o.w(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = e.eventTime ? since(e.eventTime, o.now) : since(e.firstTimestamp, o.now);
    let interval = first;
    if (e.series) interval = `${since(e.series.lastObservedTime, o.now)} (x${e.series.count} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${since(e.lastTimestamp, o.now)} (x${e.count} over ${first})`;
    const source = e.source?.component || e.reportingComponent || e.reportingController || '';
    let message = String(e.message ?? '').trim();
    if (e.involvedObject?.fieldPath) message = `${e.involvedObject.fieldPath}: ${message}`;
    o.w(1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${message}\n`);
  }
}

/** formatEndpointSlices: ready endpoints of the port's name, three then ` + N more...`. */
export function sliceEndpoints(slices: Obj[], portName: string): string {
  if (slices.length === 0) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const s of slices) {
    const ready = (e: Obj) => e.conditions?.ready === undefined || e.conditions?.ready === null || e.conditions.ready === true;
    if (!(s.ports ?? []).length) {
      for (const e of s.endpoints ?? []) {
        if (list.length === 3) more = true;
        if (!ready(e)) continue;
        if (!more) list.push(e.addresses[0]);
        count++;
      }
      continue;
    }
    for (const p of s.ports) {
      if ((p.name ?? '') !== portName) continue;
      for (const e of s.endpoints ?? []) {
        if (list.length === 3) more = true;
        if (!ready(e)) continue;
        if (!more) list.push(joinHostPort(e.addresses[0], p.port));
        count++;
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - 3} more...` : ret;
}
