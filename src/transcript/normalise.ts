// Normalisation of transcripts: makes two runs of one scenario comparable, whether both
// ran on the real kernel or one ran on the emulator. It rewrites only what differs
// between identical real runs (found by recording every scenario several times and
// diffing); ifindexes, flags, states, addresses, counts and error texts are kept, since
// those are what the goldens test.
//
// Rules (the ip neigh sorting runs first; the rest rewrite the whole transcript):
//   MAC addresses          -> MAC1, MAC2, … in order of first appearance (same MAC, same
//                             token). Kept as written: 00:00:00:00:00:00, ff:ff:ff:ff:ff:ff,
//                             MACs that appear in a `$ ` command line (the script chose
//                             them), and multicast group MACs (33:33:…, 01:00:5e:…) except
//                             the IPv6 solicited-node ones 33:33:ff:…, which derive from a
//                             random MAC.
//                             Bridge ids count as the bridge's MAC: brctl's `8000.d6ff74fba831`
//                             and ip's unpadded `8000.d6:ff:74:fb:a8:1` both become `8000.MACn`.
//   IPv6 link-local        -> LL1, LL2, … likewise (`fe80::68d1:5ff:fee9:4ddd` -> `LL1`;
//                             the prefix `fe80::/64` and addresses from commands are kept).
//   ping                   -> `time=RTT ms`; `rtt min/avg/max/mdev = RTT/RTT/RTT/RTT ms`;
//                             `ipg/ewma IPG/EWMA ms`; `, time ELAPSEDms` in the statistics line.
//   tcpdump                -> leading timestamps `HH:MM:SS.ffffff` become `TIME`;
//                             ICMP echo identifiers `id 4711,` become `id ID,` (iputils
//                             uses its PID); with -v the IPv4 header id `id 9407, offset`
//                             becomes `id IPID, offset` (random per socket); the UDP source
//                             port of VXLAN packets (to 4789 or 8472) becomes `SPORT` (the
//                             kernel derives it from a flow hash with a per-boot secret).
//   ip neigh               -> the entries are sorted: the kernel dumps its neighbour hash
//                             table, whose order depends on a per-boot random hash seed.
//                             Plain output is sorted by line, `-j` output by array element,
//                             comparing with MACs and link-local addresses masked (so the
//                             order does not depend on them); done before numbering MACs.
//   bridge -d              -> the running bridge timers (`gc_timer 123.45`, `"gc_timer":12345`,
//                             and the same for hello/tcn/topology_change/forward_delay timers)
//                             become `gc_timer TIMER`.

import { shellWords } from './scenario.js';

const MAC = /(?<![0-9A-Fa-f:])[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}(?![0-9A-Fa-f:])/g;
// Bridge ids also carry a MAC: brctl writes `8000.d6ff74fba831` (no colons) and `ip -d link`
// writes `8000.2:11:22:33:44:5` (each byte with %x, so without leading zeros).
const MAC_OR_BRIDGE_ID = new RegExp(
  [
    MAC.source,
    /(?<=(?<![0-9A-Fa-f.])[0-9a-f]{4}\.)[0-9a-f]{12}(?![0-9A-Fa-f])/.source,
    /(?<=(?<![0-9A-Fa-f.])[0-9a-f]{4}\.)[0-9a-f]{1,2}(?::[0-9a-f]{1,2}){5}(?![0-9A-Fa-f:])/.source,
  ].join('|'),
  'g',
);
const LINK_LOCAL = /(?<![0-9A-Fa-f:])fe80::[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,3}(?![0-9A-Fa-f:])/gi;

function keptMac(mac: string): boolean {
  if (mac === '00:00:00:00:00:00' || mac === 'ff:ff:ff:ff:ff:ff') return true;
  const multicast = (parseInt(mac.slice(0, 2), 16) & 1) === 1;
  return multicast && !mac.startsWith('33:33:ff:');
}

/** `d6ff74fba831` and `d6:ff:74:fb:a8:1` -> `d6:ff:74:fb:a8:31` / `d6:ff:74:fb:a8:01`; others lower-cased. */
function canonical(s: string): string {
  const lower = s.toLowerCase();
  if (/^[0-9a-f]{12}$/.test(lower)) return lower.replace(/(..)(?!$)/g, '$1:');
  if (/^[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}$/.test(lower)) return lower.split(':').map((b) => b.padStart(2, '0')).join(':');
  return lower;
}

/** Replaces each match of `re` not in `kept` by `${prefix}N`, N counting distinct matches. */
function tokenise(text: string, re: RegExp, prefix: string, kept: (s: string) => boolean): string {
  const tokens = new Map<string, string>();
  return text.replace(re, (m) => {
    const key = canonical(m);
    if (kept(key)) return m;
    let t = tokens.get(key);
    if (t === undefined) {
      t = `${prefix}${tokens.size + 1}`;
      tokens.set(key, t);
    }
    return t;
  });
}

function commandLines(text: string): string {
  return text
    .split('\n')
    .filter((l) => l.startsWith('$ '))
    .join('\n');
}

/** True for `ip … neigh …` commands (also under `ip netns exec NAME`), whose output is hash-ordered. */
function isNeighDump(command: string): boolean {
  let words: string[];
  try {
    words = shellWords(command);
  } catch {
    return false;
  }
  let i = 0;
  if (words[0] === 'ip' && words[1] === 'netns' && words[2] === 'exec') i = 4;
  if (words[i++] !== 'ip') return false;
  while (i < words.length && words[i]!.startsWith('-')) {
    const opt = words[i++]!.replace(/^--?/, '');
    if (['n', 'netns', 'f', 'family', 'rc', 'rcvbuf'].includes(opt)) i++;
  }
  const object = words[i] ?? '';
  return object.length > 0 && ('neighbor'.startsWith(object) || 'neighbour'.startsWith(object));
}

function orderKey(s: string): string {
  return s.replace(MAC_OR_BRIDGE_ID, 'MAC').replace(LINK_LOCAL, 'LL');
}

function byKey(a: string, b: string): number {
  const ka = orderKey(a);
  const kb = orderKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** Splits a one-line JSON array `[{…},{…}]` into its top-level elements, as written. */
function jsonElements(line: string): string[] | undefined {
  if (!line.startsWith('[') || !line.endsWith(']')) return undefined;
  const elements: string[] = [];
  let depth = 0;
  let start = 1;
  let inString = false;
  for (let i = 1; i < line.length - 1; i++) {
    const c = line[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      elements.push(line.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0 || inString) return undefined;
  if (line.length > 2) elements.push(line.slice(start, line.length - 1));
  return elements;
}

/** Sorts the stdout of hash-ordered dumps (ip neigh) so that their order no longer varies. */
function sortHashOrderedOutput(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('$ ') || !isNeighDump(lines[i]!.slice(2))) continue;
    let end = i + 1;
    while (end < lines.length && !/^(\$ |stderr: |\[exit \d+\]$)/.test(lines[end]!) && !(end === lines.length - 1 && lines[end] === '')) end++;
    const out = lines.slice(i + 1, end);
    const elements = out.length === 1 ? jsonElements(out[0]!) : undefined;
    const sorted = elements !== undefined ? [`[${elements.sort(byKey).join(',')}]`] : out.sort(byKey);
    lines.splice(i + 1, out.length, ...sorted);
    i = end - 1;
  }
  return lines.join('\n');
}

/** Makes a transcript comparable across runs; see the rules at the top of this file. */
export function normalise(input: string): string {
  const text = sortHashOrderedOutput(input);
  const commands = commandLines(text);
  const scriptedMacs = new Set((commands.match(MAC) ?? []).map((m) => m.toLowerCase()));
  const scriptedLL = new Set((commands.match(LINK_LOCAL) ?? []).map((m) => m.toLowerCase()));

  let out = tokenise(text, MAC_OR_BRIDGE_ID, 'MAC', (m) => keptMac(m) || scriptedMacs.has(m));
  out = tokenise(out, LINK_LOCAL, 'LL', (m) => scriptedLL.has(m));

  // ping (iputils)
  out = out.replace(/\btime=\d+(?:\.\d+)? ms\b/g, 'time=RTT ms');
  out = out.replace(/\brtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms/g, 'rtt min/avg/max/mdev = RTT/RTT/RTT/RTT ms');
  out = out.replace(/\bipg\/ewma [\d.]+\/[\d.]+ ms/g, 'ipg/ewma IPG/EWMA ms');
  out = out.replace(/(% packet loss.*), time \d+ms$/gm, '$1, time ELAPSEDms');

  // tcpdump
  out = out.replace(/^\d{2}:\d{2}:\d{2}\.\d{6} /gm, 'TIME ');
  out = out.replace(/\b(ICMP echo (?:request|reply), id )\d+,/g, '$1ID,');
  out = out.replace(/(\(tos 0x[0-9a-f]+, ttl \d+, id )\d+(, offset )/g, '$1IPID$2');
  out = out.replace(/\b(\d+\.\d+\.\d+\.\d+)\.\d+( > \d+\.\d+\.\d+\.\d+\.(?:4789|8472): )/g, '$1.SPORT$2');

  // bridge details
  out = out.replace(/\b(gc|hello|tcn|topology_change|forward_delay)_timer +[\d.]+/g, '$1_timer TIMER');
  out = out.replace(/"(gc|hello|tcn|topology_change|forward_delay)_timer":[\d.]+/g, '"$1_timer":"TIMER"');
  return out;
}
