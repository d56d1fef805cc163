// iperf3's human-readable report lines (iperf_locale.c, units.c unit_snprintf), as printf formats them.

const BYTE_LABELS = ['Byte', 'KByte', 'MByte', 'GByte', 'TByte'];
const BIT_LABELS = ['bit', 'Kbit', 'Mbit', 'Gbit', 'Tbit'];

/** C's %W.Pf (right-aligned) or %-W.Pf (left-aligned). */
const fixed = (n: number, width: number, precision: number, left = false): string => {
  const s = n.toFixed(precision);
  return left ? s.padEnd(width) : s.padStart(width);
};

/**
 * unit_snprintf with 'A' (bytes, 1024 steps) or 'a' (bits: the number times 8, 1000 steps):
 * four places (`#.##`, `##.#`, ` ###`) and the label (the report formats add the `s`).
 */
export function unitSnprintf(n: number, format: 'A' | 'a'): string {
  const bits = format === 'a';
  let value = bits ? n * 8 : n;
  const step = bits ? 1000 : 1024;
  let conv = 0;
  while (value >= step && conv < 4) {
    value /= step;
    conv++;
  }
  const label = (bits ? BIT_LABELS : BYTE_LABELS)[conv]!;
  const digits = value < 9.995 ? 2 : value < 99.95 ? 1 : 0;
  return `${fixed(value, 4, digits)} ${label}`;
}

/** The `[  5] ` stream column and the interval (`%6.2f-%-6.2f sec`). */
const lead = (socket: number, start: number, end: number) =>
  `[${String(socket).padStart(3)}] ${fixed(start, 6, 2)}-${fixed(end, 6, 2, true)} sec  `;

/** Transfer and bitrate columns of `bytes` over `seconds`. */
const amounts = (bytes: number, seconds: number) =>
  `${unitSnprintf(bytes, 'A')}s  ${unitSnprintf(seconds > 0 ? bytes / seconds : 0, 'a')}s/sec`;

export const SEPARATOR = '- - - - - - - - - - - - - - - - - - - - - - - - -\n';
export const BANNER_RULE = '-----------------------------------------------------------\n';
export const HEADER = '[ ID] Interval           Transfer     Bitrate\n';
export const HEADER_RETR = '[ ID] Interval           Transfer     Bitrate         Retr\n';
export const HEADER_RETR_CWND = '[ ID] Interval           Transfer     Bitrate         Retr  Cwnd\n';

/** report_bw_format: an interval or a summary line without retransmits (`receiver`, or nothing). */
export function bwLine(socket: number, start: number, end: number, bytes: number, tail = ''): string {
  return `${lead(socket, start, end)}${amounts(bytes, end - start)}                  ${tail}\n`;
}

/** report_bw_retrans_format: the sender's summary line. */
export function bwRetransLine(socket: number, start: number, end: number, bytes: number, retrans: number, tail: string): string {
  return `${lead(socket, start, end)}${amounts(bytes, end - start)}  ${String(retrans).padStart(3)}             ${tail}\n`;
}

/** report_bw_retrans_cwnd_format: a TCP sender's interval line. */
export function bwRetransCwndLine(socket: number, start: number, end: number, bytes: number, retrans: number, cwnd: number): string {
  return `${lead(socket, start, end)}${amounts(bytes, end - start)}  ${String(retrans).padStart(3)}   ${unitSnprintf(cwnd, 'A')}s       \n`;
}

export const HEADER_UDP = '[ ID] Interval           Transfer     Bitrate         Jitter    Lost/Total Datagrams\n';
export const HEADER_UDP_SENDER = '[ ID] Interval           Transfer     Bitrate         Total Datagrams\n';

/** C's %.2g: two significant digits, trailing zeros dropped, exponent form below 1e-4 and from 100 (`1e+02`). */
export function g2(n: number): string {
  if (n === 0) return '0';
  const exp = Number(n.toExponential(1).split('e')[1]);
  if (exp < -4 || exp >= 2) {
    const [m, e] = n.toExponential(1).split('e') as [string, string];
    const digits = Math.abs(Number(e));
    return `${m.replace(/\.?0+$/, '')}e${Number(e) < 0 ? '-' : '+'}${String(digits).padStart(2, '0')}`;
  }
  return n
    .toFixed(Math.max(0, 1 - exp))
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}

/** report_bw_udp_format: a UDP receiver's interval or summary line (and the sender's summary, jitter 0). */
export function bwUdpLine(
  socket: number,
  start: number,
  end: number,
  bytes: number,
  jitterMs: number,
  lost: number,
  total: number,
  tail = '',
): string {
  const percent = total > 0 ? (100 * lost) / total : 0;
  return `${lead(socket, start, end)}${amounts(bytes, end - start)}  ${jitterMs.toFixed(3).padStart(5)} ms  ${lost}/${total} (${g2(percent)}%)  ${tail}\n`;
}

/** report_bw_udp_sender_format: a UDP sender's interval line. */
export function bwUdpSenderLine(socket: number, start: number, end: number, bytes: number, packets: number): string {
  return `${lead(socket, start, end)}${amounts(bytes, end - start)}  ${packets}  \n`;
}
