// resource.Quantity as describe sums and prints it: parse `100m`, `2`, `50Mi`, `1G`, `1e3`;
// print in the canonical form of the first addend's format (binary suffixes stay binary).

const BIN: [string, number][] = [
  ['Ei', 2 ** 60],
  ['Pi', 2 ** 50],
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];
const DEC: [string, number][] = [
  ['E', 1e18],
  ['P', 1e15],
  ['T', 1e12],
  ['G', 1e9],
  ['M', 1e6],
  ['k', 1e3],
  ['', 1],
  ['m', 1e-3],
];

export interface Quantity {
  /** In base units (cores, bytes). */
  value: number;
  binary: boolean;
}

export function parseQuantity(s: string | number | undefined): Quantity | undefined {
  if (s === undefined) return undefined;
  if (typeof s === 'number') return { value: s, binary: false };
  const m = /^([+-]?[0-9.]+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E))?$/.exec(s.trim());
  if (!m) return undefined;
  const n = parseFloat(m[1]! + (m[2] ?? ''));
  const suffix = m[3] ?? '';
  const bin = BIN.find(([x]) => x === suffix);
  if (bin) return { value: n * bin[1], binary: true };
  return { value: n * DEC.find(([x]) => x === suffix)![1], binary: false };
}

/** Quantity.String(): the largest suffix that represents the value exactly. */
export function formatQuantity(q: Quantity): string {
  if (q.value === 0) return '0';
  if (q.binary && Number.isInteger(q.value)) {
    for (const [suffix, mult] of BIN) if (q.value % mult === 0) return `${q.value / mult}${suffix}`;
    return String(q.value);
  }
  const milli = Math.round(q.value * 1000);
  for (const [suffix, mult] of DEC) {
    const units = mult * 1000;
    if (units >= 1 && milli % units === 0) return `${milli / units}${suffix}`;
  }
  return `${milli}m`;
}
