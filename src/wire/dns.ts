// DNS messages (RFC 1035 §4, EDNS(0) RFC 6891, COOKIE RFC 7873) as plain representations, encoded
// and decoded by the dns-packet library (kept by the mafintosh/dns-packet project: every record type
// and name compression on decode). Like miekg/dns with Compress unset, which CoreDNS uses for small
// replies, names are written uncompressed. TCP messages carry the 2-byte length prefix (RFC 1035 §4.2.2).
import dnsPacket from 'dns-packet';
import { WireError } from './error.js';

export type DnsType = 'A' | 'AAAA' | 'CNAME' | 'PTR' | 'NS' | 'SRV' | 'SOA' | 'TXT' | 'MX' | 'ANY';
export type DnsRcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';

export interface DnsQuestion {
  /** Without the trailing dot, lower or mixed case as asked. */
  readonly name: string;
  readonly type: DnsType;
}

export interface SrvData {
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  readonly target: string;
}

export interface SoaData {
  readonly mname: string;
  readonly rname: string;
  readonly serial: number;
  readonly refresh: number;
  readonly retry: number;
  readonly expire: number;
  readonly minimum: number;
}

export type DnsRecord =
  | { readonly name: string; readonly type: 'A' | 'AAAA' | 'CNAME' | 'PTR' | 'NS'; readonly ttl: number; readonly data: string }
  | { readonly name: string; readonly type: 'SRV'; readonly ttl: number; readonly data: SrvData }
  | { readonly name: string; readonly type: 'SOA'; readonly ttl: number; readonly data: SoaData }
  | { readonly name: string; readonly type: 'TXT'; readonly ttl: number; readonly data: readonly string[] }
  | {
      readonly name: string;
      readonly type: 'MX';
      readonly ttl: number;
      readonly data: { readonly preference: number; readonly exchange: string };
    };

/** The OPT pseudo-record's fields (RFC 6891 §6.1.2) and the options knetlab's tools use. */
export interface Edns {
  readonly udpSize: number;
  readonly do?: boolean;
  /** COOKIE option data: the 8-byte client cookie, then the server's when it sends one. */
  readonly cookie?: Uint8Array;
}

export interface DnsMessage {
  readonly id: number;
  readonly qr: boolean;
  readonly opcode?: 'QUERY';
  readonly aa?: boolean;
  readonly tc?: boolean;
  readonly rd?: boolean;
  readonly ra?: boolean;
  readonly ad?: boolean;
  readonly cd?: boolean;
  readonly rcode: DnsRcode;
  readonly questions: readonly DnsQuestion[];
  readonly answers: readonly DnsRecord[];
  readonly authorities: readonly DnsRecord[];
  readonly additionals: readonly DnsRecord[];
  readonly edns?: Edns;
}

const RCODES: readonly DnsRcode[] = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
const COOKIE = 10;

type Packet = dnsPacket.Packet;
type Answer = dnsPacket.Answer;

function toAnswer(r: DnsRecord): Answer {
  const base = { name: r.name, ttl: r.ttl, class: 'IN' as const };
  switch (r.type) {
    case 'SRV':
      return { ...base, type: 'SRV', data: { ...r.data } };
    case 'SOA':
      return { ...base, type: 'SOA', data: { ...r.data } };
    case 'TXT':
      return { ...base, type: 'TXT', data: [...r.data] };
    case 'MX':
      return { ...base, type: 'MX', data: { ...r.data } };
    default:
      return { ...base, type: r.type, data: r.data } as Answer;
  }
}

function fromAnswer(a: Answer): DnsRecord | undefined {
  const ttl = 'ttl' in a && a.ttl !== undefined ? a.ttl : 0;
  switch (a.type) {
    case 'A':
    case 'AAAA':
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return { name: a.name, type: a.type, ttl, data: a.data };
    case 'SRV':
      return {
        name: a.name,
        type: 'SRV',
        ttl,
        data: { priority: a.data.priority ?? 0, weight: a.data.weight ?? 0, port: a.data.port, target: a.data.target },
      };
    case 'SOA': {
      const d = a.data;
      return {
        name: a.name,
        type: 'SOA',
        ttl,
        data: {
          mname: d.mname,
          rname: d.rname,
          serial: d.serial ?? 0,
          refresh: d.refresh ?? 0,
          retry: d.retry ?? 0,
          expire: d.expire ?? 0,
          minimum: d.minimum ?? 0,
        },
      };
    }
    case 'TXT': {
      const list = Array.isArray(a.data) ? a.data : [a.data];
      return { name: a.name, type: 'TXT', ttl, data: list.map((s) => (typeof s === 'string' ? s : new TextDecoder().decode(s))) };
    }
    case 'MX':
      return { name: a.name, type: 'MX', ttl, data: { preference: a.data.preference ?? 0, exchange: a.data.exchange } };
    default:
      return undefined;
  }
}

/** The header's flag word (RFC 1035 §4.1.1) without QR, which dns-packet sets from `type`. */
function flagWord(m: DnsMessage): number {
  return (
    (m.aa ? 1 << 10 : 0) |
    (m.tc ? 1 << 9 : 0) |
    (m.rd ? 1 << 8 : 0) |
    (m.ra ? 1 << 7 : 0) |
    (m.ad ? 1 << 5 : 0) |
    (m.cd ? 1 << 4 : 0) |
    RCODES.indexOf(m.rcode)
  );
}

/** Encodes `m` for UDP (no length prefix). */
export function encodeDns(m: DnsMessage): Uint8Array {
  const additionals = m.additionals.map(toAnswer);
  if (m.edns) {
    const opt = {
      name: '.',
      type: 'OPT',
      udpPayloadSize: m.edns.udpSize,
      extendedRcode: 0,
      ednsVersion: 0,
      flags: m.edns.do ? 1 << 15 : 0,
      flag_do: m.edns.do === true,
      options: m.edns.cookie ? [{ code: COOKIE, data: toBuffer(m.edns.cookie) }] : [],
    };
    additionals.push(opt as unknown as Answer);
  }
  const p: Packet = {
    type: m.qr ? 'response' : 'query',
    id: m.id,
    flags: flagWord(m),
    questions: m.questions.map((q) => ({ name: q.name, type: q.type as dnsPacket.RecordType, class: 'IN' })),
    answers: m.answers.map(toAnswer),
    authorities: m.authorities.map(toAnswer),
    additionals,
  };
  const b = dnsPacket.encode(p);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

// dns-packet reads and writes its own `buffer` module's Buffer (Node's, or a bundler's in a browser);
// taken from what it encodes, so this file names no runtime's global.
type Buf = ReturnType<typeof dnsPacket.encode>;
const BufferClass = (dnsPacket.encode({ questions: [] }) as { constructor: unknown }).constructor as {
  from(a: ArrayBufferLike | Uint8Array, off?: number, len?: number): Buf;
};

function toBuffer(u: Uint8Array): Buf {
  return BufferClass.from(u);
}

/** Decodes a DNS message; throws WireError for bytes that are not one. */
export function decodeDns(bytes: Uint8Array): DnsMessage {
  let p: ReturnType<typeof dnsPacket.decode>;
  try {
    p = dnsPacket.decode(BufferClass.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new WireError('DNS', (e as Error).message);
  }
  const d = p as typeof p & {
    flag_qr?: boolean;
    flag_aa?: boolean;
    flag_tc?: boolean;
    flag_rd?: boolean;
    flag_ra?: boolean;
    flag_ad?: boolean;
    flag_cd?: boolean;
    rcode?: string;
  };
  let edns: Edns | undefined;
  const additionals: DnsRecord[] = [];
  for (const a of p.additionals ?? []) {
    if (a.type === 'OPT') {
      const o = a as dnsPacket.OptAnswer;
      const cookie = (o.options as { code: number; data?: Uint8Array }[]).find((x) => x.code === COOKIE)?.data;
      edns = { udpSize: o.udpPayloadSize, ...(o.flag_do ? { do: true } : {}), ...(cookie ? { cookie: new Uint8Array(cookie) } : {}) };
      continue;
    }
    const r = fromAnswer(a);
    if (r) additionals.push(r);
  }
  const list = (xs: Answer[] | undefined) => (xs ?? []).map(fromAnswer).filter((r): r is DnsRecord => r !== undefined);
  return {
    id: p.id ?? 0,
    qr: d.flag_qr === true,
    opcode: 'QUERY',
    aa: d.flag_aa === true,
    tc: d.flag_tc === true,
    rd: d.flag_rd === true,
    ra: d.flag_ra === true,
    ad: d.flag_ad === true,
    cd: d.flag_cd === true,
    rcode: (RCODES as readonly string[]).includes(d.rcode ?? '') ? (d.rcode as DnsRcode) : 'SERVFAIL',
    questions: (p.questions ?? []).map((q) => ({ name: q.name, type: q.type as DnsType })),
    answers: list(p.answers),
    authorities: list(p.authorities),
    additionals,
    ...(edns ? { edns } : {}),
  };
}

/** A message framed for TCP: its length in two bytes, then the message. */
export function frameDnsTcp(msg: Uint8Array): Uint8Array {
  const out = new Uint8Array(msg.length + 2);
  out[0] = msg.length >> 8;
  out[1] = msg.length & 0xff;
  out.set(msg, 2);
  return out;
}

/** The first whole message in a TCP stream's bytes and how many bytes it took, or undefined until it has arrived. */
export function unframeDnsTcp(stream: Uint8Array): { readonly msg: Uint8Array; readonly used: number } | undefined {
  if (stream.length < 2) return undefined;
  const len = (stream[0]! << 8) | stream[1]!;
  if (stream.length < 2 + len) return undefined;
  return { msg: stream.subarray(2, 2 + len), used: 2 + len };
}

/**
 * Encodes `m` with its owner names compressed (RFC 1035 §4.1.4): a question's or record's name, or
 * its longest suffix already written, becomes a pointer; names inside record data stay whole (as
 * miekg/dns writes SRV targets). What a server sends when it compresses a reply to make it fit.
 */
export function encodeDnsCompressed(m: DnsMessage): Uint8Array {
  const src = encodeDns(m);
  const out: number[] = [...src.subarray(0, 12)];
  const seen = new Map<string, number>();
  let at = 12;
  /** Copies the uncompressed name at `at` with compression; returns the offset after it in `src`. */
  const name = (): void => {
    const labels: Uint8Array[] = [];
    while (src[at]! !== 0) {
      const len = src[at]!;
      labels.push(src.subarray(at + 1, at + 1 + len));
      at += 1 + len;
    }
    at += 1;
    const text = labels.map((l) => new TextDecoder('latin1').decode(l).toLowerCase());
    for (let i = 0; i < labels.length; i++) {
      const suffix = text.slice(i).join('.');
      const ptr = seen.get(suffix);
      if (ptr !== undefined) {
        out.push(0xc0 | (ptr >> 8), ptr & 0xff);
        return;
      }
      if (out.length < 0x4000) seen.set(suffix, out.length);
      out.push(labels[i]!.length, ...labels[i]!);
    }
    out.push(0);
  };
  const qd = (src[4]! << 8) | src[5]!;
  const rrs = ((src[6]! << 8) | src[7]!) + ((src[8]! << 8) | src[9]!) + ((src[10]! << 8) | src[11]!);
  for (let i = 0; i < qd; i++) {
    name();
    out.push(...src.subarray(at, at + 4));
    at += 4;
  }
  for (let i = 0; i < rrs; i++) {
    name();
    const rdlen = (src[at + 8]! << 8) | src[at + 9]!;
    out.push(...src.subarray(at, at + 10 + rdlen));
    at += 10 + rdlen;
  }
  return new Uint8Array(out);
}
