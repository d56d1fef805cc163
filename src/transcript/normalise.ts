// Normalisation of transcripts: makes two runs of one scenario comparable, whether both
// ran on the real kernel or one ran on the emulator. It rewrites only what differs
// between identical real runs (found by recording every scenario several times and
// diffing); ifindexes, flags, states, addresses, counts and error texts are kept, since
// those are what the goldens test.
//
// Rules, applied to the whole transcript in one pass, left to right:
//   MAC addresses          -> MAC1, MAC2, … in order of first appearance (same MAC, same
//                             token). Kept as written: 00:00:00:00:00:00, ff:ff:ff:ff:ff:ff,
//                             MACs that appear in a `$ ` command line (the script chose
//                             them), and multicast group MACs (33:33:…, 01:00:5e:…) except
//                             the IPv6 solicited-node ones 33:33:ff:…, which derive from a
//                             random MAC.
//   IPv6 link-local        -> LL1, LL2, … likewise (`fe80::68d1:5ff:fee9:4ddd` -> `LL1`;
//                             the prefix `fe80::/64` and addresses from commands are kept).
//   ping                   -> `time=RTT ms`; `rtt min/avg/max/mdev = RTT/RTT/RTT/RTT ms`;
//                             `ipg/ewma IPG/EWMA ms`; `, time ELAPSEDms` in the statistics line.
//   tcpdump                -> leading timestamps `HH:MM:SS.ffffff` become `TIME`;
//                             ICMP echo identifiers `id 4711,` become `id ID,`.
//   bridge -d              -> the running bridge timers (`gc_timer 123.45`, `"gc_timer":12345`)
//                             become `gc_timer TIMER`.

const MAC = /(?<![0-9A-Fa-f:])[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}(?![0-9A-Fa-f:])/g;
const LINK_LOCAL = /(?<![0-9A-Fa-f:])fe80::[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,3}(?![0-9A-Fa-f:])/gi;

function keptMac(mac: string): boolean {
  if (mac === '00:00:00:00:00:00' || mac === 'ff:ff:ff:ff:ff:ff') return true;
  const multicast = (parseInt(mac.slice(0, 2), 16) & 1) === 1;
  return multicast && !mac.startsWith('33:33:ff:');
}

/** Replaces each match of `re` not in `kept` by `${prefix}N`, N counting distinct matches. */
function tokenise(text: string, re: RegExp, prefix: string, kept: (s: string) => boolean): string {
  const tokens = new Map<string, string>();
  return text.replace(re, (m) => {
    const key = m.toLowerCase();
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

/** Makes a transcript comparable across runs; see the rules at the top of this file. */
export function normalise(text: string): string {
  const commands = commandLines(text);
  const scriptedMacs = new Set((commands.match(MAC) ?? []).map((m) => m.toLowerCase()));
  const scriptedLL = new Set((commands.match(LINK_LOCAL) ?? []).map((m) => m.toLowerCase()));

  let out = tokenise(text, MAC, 'MAC', (m) => keptMac(m) || scriptedMacs.has(m));
  out = tokenise(out, LINK_LOCAL, 'LL', (m) => scriptedLL.has(m));

  // ping (iputils)
  out = out.replace(/\btime=\d+(?:\.\d+)? ms\b/g, 'time=RTT ms');
  out = out.replace(/\brtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms/g, 'rtt min/avg/max/mdev = RTT/RTT/RTT/RTT ms');
  out = out.replace(/\bipg\/ewma [\d.]+\/[\d.]+ ms/g, 'ipg/ewma IPG/EWMA ms');
  out = out.replace(/(% packet loss.*), time \d+ms$/gm, '$1, time ELAPSEDms');

  // tcpdump
  out = out.replace(/^\d{2}:\d{2}:\d{2}\.\d{6} /gm, 'TIME ');
  out = out.replace(/\b(ICMP echo (?:request|reply), id )\d+,/g, '$1ID,');

  // bridge details
  out = out.replace(/\bgc_timer +[\d.]+/g, 'gc_timer TIMER');
  out = out.replace(/"gc_timer":\d+/g, '"gc_timer":"TIMER"');
  return out;
}
