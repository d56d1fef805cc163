// CoreDNS's ScrubWriter (request.Scrub, with miekg/dns's Msg.Truncate): every reply is made to fit
// the client's buffer — over UDP the request's EDNS size (512 without EDNS, never less), over TCP
// 64 KiB. A reply that fits goes out as it is, uncompressed; one that does not is compressed and
// cut to the records that fit, answers first, then authority, then additional (the OPT record kept),
// with TC set when any record was dropped, so the client asks again over TCP. A UDP reply over
// 1480 bytes is compressed even when it fits, against fragmentation. Coarse: names inside record
// data (CNAME, PTR targets) are not compressed, so such a reply may keep a record or two fewer.
import { encodeDns, encodeDnsCompressed, type DnsMessage } from '../wire/index.js';

export function scrubbedReply(reply: DnsMessage, request: DnsMessage, udp: boolean): Uint8Array {
  const size = udp ? Math.max(512, request.edns?.udpSize ?? 512) : 65535;
  const whole = encodeDns(reply);
  if (whole.length <= size) return udp && whole.length > 1480 ? encodeDnsCompressed(reply) : whole;
  const fit = (m: DnsMessage) => encodeDnsCompressed(m).length <= size;
  const kept: { answers: DnsMessage['answers']; authorities: DnsMessage['authorities']; additionals: DnsMessage['additionals'] } = {
    answers: [],
    authorities: [],
    additionals: [],
  };
  let full = true;
  for (const section of ['answers', 'authorities', 'additionals'] as const) {
    const records = reply[section];
    let n = 0;
    if (full) while (n < records.length && fit({ ...reply, ...kept, [section]: records.slice(0, n + 1) })) n++;
    kept[section] = records.slice(0, n);
    if (n < records.length) full = false;
  }
  return encodeDnsCompressed({ ...reply, ...kept, tc: reply.tc === true || !full });
}
