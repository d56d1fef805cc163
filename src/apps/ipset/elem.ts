// Element text as ipset 7.17 parses and prints it (lib/parse.c, lib/print.c behaviour): addresses
// the way inet_aton reads them, `IP/CIDR` and `IP-IP` ranges, `[proto:]port[-port]` with service
// and ICMP names, and the error sentences the tool prints for each mistake.
import { formatIpv4 } from '../../wire/index.js';
import { ipsetDimension, type IpsetAdtSpec, type IpsetElem, type IpsetTypeName } from '../../kernel/netfilter/index.js';
import { icmpByName, icmpName, protocolName, protocolNumber, servicePort } from './netdb.js';

/** A userspace parse error: the sentence after `ipset v7.17: `. */
export class ParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParseError';
  }
}

const syntax = (m: string): ParseError => new ParseError(`Syntax error: ${m}`);

/** inet_aton(): a, a.b, a.b.c or a.b.c.d with decimal, octal (0…) or hex (0x…) parts. */
export function inetAton(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4) return undefined;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0[xX][0-9a-fA-F]*$/.test(p)) n = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]*$/.test(p)) n = parseInt(p, 8);
    else if (/^[1-9][0-9]*$/.test(p)) n = parseInt(p, 10);
    else return undefined;
    if (!Number.isFinite(n)) return undefined;
    nums.push(n);
  }
  const last = nums[nums.length - 1]!;
  const head = nums.slice(0, -1);
  if (head.some((n) => n > 255)) return undefined;
  const restBits = 8 * (4 - head.length);
  if (last >= 2 ** restBits) return undefined;
  let v = 0;
  for (const n of head) v = v * 256 + n;
  return (v * 2 ** restBits + last) >>> 0;
}

function parseIp(text: string): number {
  const ip = inetAton(text);
  if (ip === undefined) throw syntax(`cannot parse ${text}: resolving to IPv4 address failed`);
  return ip;
}

/** A decimal number in [min, max] with ipset's two error sentences. */
export function parseNumber(text: string, min: number, max: number): number {
  if (!/^[0-9]+$/.test(text)) throw syntax(`'${text}' is invalid as number`);
  const n = Number(text);
  if (n < min || n > max) throw syntax(`'${text}' is out of range ${min}-${max}`);
  return n;
}

function parseCidr(text: string): number {
  return parseNumber(text, 0, 32);
}

/** `IP`, `IP/CIDR` or `IP-IP` (whichever the dimension allows). */
function parseIpDim(text: string, allow: 'plain' | 'net' | 'range'): { ip: number; cidr?: number; ipTo?: number } {
  if (allow === 'plain' && /[/-]/.test(text)) throw syntax(`plain IP address must be supplied: ${text}`);
  const slash = text.indexOf('/');
  if (slash >= 0) return { ip: parseIp(text.slice(0, slash)), cidr: parseCidr(text.slice(slash + 1)) };
  const dash = text.indexOf('-');
  if (dash >= 0) return { ip: parseIp(text.slice(0, dash)), ipTo: parseIp(text.slice(dash + 1)) };
  return { ip: parseIp(text) };
}

type PortProto = 'tcp' | 'udp' | 'sctp';

function parsePortNumber(text: string, proto: string): number {
  const sp: PortProto | undefined = proto === 'tcp' || proto === 'udp' || proto === 'sctp' ? proto : undefined;
  let numErr: string;
  try {
    return parseNumber(text, 0, 65535);
  } catch (e) {
    numErr = (e as Error).message;
  }
  const byName = sp ? servicePort(text, sp) : undefined;
  if (byName !== undefined) return byName;
  throw new ParseError(`${numErr}\nSyntax error: '${proto}' is invalid as number\ncannot parse '${text}' as a ${proto} port`);
}

/** `[proto:]port[-port]` (default tcp) or `icmp:type/code|name`. */
export function parseProtoPort(text: string): { proto: number; port: number; portTo?: number } {
  let protoText = 'tcp';
  let portText = text;
  const colon = text.indexOf(':');
  if (colon >= 0 && !/^[0-9]+-/.test(text)) {
    protoText = text.slice(0, colon);
    portText = text.slice(colon + 1);
  }
  let proto = protocolNumber(protoText);
  if (proto === undefined && /^[0-9]+$/.test(protoText)) proto = Number(protoText) <= 255 ? Number(protoText) : undefined;
  if (proto === undefined) throw syntax(`cannot parse '${protoText}' as a protocol`);
  if (proto === 58)
    throw new ParseError('Syntax error: Protocol ICMPv6 can be used with family inet6 only\nInvalid add command: missing setname');
  if (proto === 0) throw new ParseError('Invalid protocol specified');
  if (proto === 1) {
    const named = icmpByName(portText);
    if (named) return { proto, port: (named.type << 8) | named.code };
    const m = /^([0-9]+)\/([0-9]+)$/.exec(portText);
    if (m && Number(m[1]) <= 255 && Number(m[2]) <= 255) return { proto, port: (Number(m[1]) << 8) | Number(m[2]) };
    throw new ParseError(`Cannot parse ${portText} as an ICMP type/code.`);
  }
  const name = protocolName(proto) ?? String(proto);
  if (![6, 17, 132, 136].includes(proto)) {
    if (portText !== '0') throw syntax(`Protocol ${name} can be used with pseudo port value 0 only.`);
    return { proto, port: 0 };
  }
  const dash = portText.indexOf('-');
  if (dash > 0) {
    const port = parsePortNumber(portText.slice(0, dash), name);
    const portTo = parsePortNumber(portText.slice(dash + 1), name);
    return { proto, port, portTo };
  }
  return { proto, port: parsePortNumber(portText, name) };
}

const ORDINAL = ['First', 'Second', 'Third'];

/** Parses an element of a set type into what `ipset add|del|test` sends the kernel. */
export function parseElem(type: IpsetTypeName, text: string): IpsetAdtSpec {
  if (type === 'bitmap:port') {
    let t = text;
    const colon = t.indexOf(':');
    if (colon >= 0) t = t.slice(colon + 1);
    const dash = t.indexOf('-');
    if (dash > 0) return { port: parsePortNumber(t.slice(0, dash), 'tcp'), portTo: parsePortNumber(t.slice(dash + 1), 'tcp') };
    return { port: parsePortNumber(t, 'tcp') };
  }
  const dims = ipsetDimension(type);
  const parts = text.split(',');
  if (parts.length < dims) throw syntax(`${ORDINAL[parts.length]} element is missing from ${text}.`);
  if (parts.length > dims) throw syntax(`Elem separator in ${text}, but settype ${type} supports none.`);
  if (parts.some((p) => p === '')) throw syntax(`${ORDINAL[parts.indexOf('')]} element is missing from ${text}.`);
  switch (type) {
    case 'hash:ip': {
      const d = parseIpDim(parts[0]!, 'range');
      return { ip: d.ip, ...(d.cidr !== undefined ? { cidr: d.cidr } : {}), ...(d.ipTo !== undefined ? { ipTo: d.ipTo } : {}) };
    }
    case 'hash:net': {
      const d = parseIpDim(parts[0]!, 'range');
      return { ip: d.ip, ...(d.cidr !== undefined ? { cidr: d.cidr } : {}), ...(d.ipTo !== undefined ? { ipTo: d.ipTo } : {}) };
    }
    default: {
      const a = parseIpDim(parts[0]!, 'range');
      const pp = parseProtoPort(parts[1]!);
      const spec: IpsetAdtSpec = {
        ip: a.ip,
        ...(a.cidr !== undefined ? { cidr: a.cidr } : {}),
        ...(a.ipTo !== undefined ? { ipTo: a.ipTo } : {}),
        proto: pp.proto,
        port: pp.port,
        ...(pp.portTo !== undefined ? { portTo: pp.portTo } : {}),
      };
      if (type === 'hash:ip,port') return spec;
      const c = parseIpDim(parts[2]!, type === 'hash:ip,port,ip' ? 'plain' : 'range');
      return { ...spec, ip2: c.ip, ...(c.cidr !== undefined ? { cidr2: c.cidr } : {}), ...(c.ipTo !== undefined ? { ip2To: c.ipTo } : {}) };
    }
  }
}

/** `proto:port` as ipset prints it (ICMP by name or type/code). */
export function formatProtoPort(proto: number, port: number): string {
  if (proto === 1) {
    const type = port >> 8;
    const code = port & 0xff;
    return `icmp:${icmpName(type, code) ?? `${type}/${code}`}`;
  }
  return `${protocolName(proto) ?? proto}:${port}`;
}

/** An element as `ipset list` prints it. */
export function formatElem(type: IpsetTypeName, e: IpsetElem): string {
  switch (type) {
    case 'bitmap:port':
      return String(e.port);
    case 'hash:ip':
      return formatIpv4(e.ip);
    case 'hash:net':
      return e.cidr === 32 ? formatIpv4(e.ip) : `${formatIpv4(e.ip)}/${e.cidr}`;
    case 'hash:ip,port':
      return `${formatIpv4(e.ip)},${formatProtoPort(e.proto, e.port)}`;
    case 'hash:ip,port,ip':
      return `${formatIpv4(e.ip)},${formatProtoPort(e.proto, e.port)},${formatIpv4(e.ip2)}`;
    case 'hash:ip,port,net':
      return `${formatIpv4(e.ip)},${formatProtoPort(e.proto, e.port)},${e.cidr === 32 ? formatIpv4(e.ip2) : `${formatIpv4(e.ip2)}/${e.cidr}`}`;
  }
}

/** The element `ipset test` reports back (the parsed element, first of a range). */
export function testedElem(type: IpsetTypeName, s: IpsetAdtSpec): IpsetElem {
  const port = s.proto !== undefined && s.proto !== 1 && ![6, 17, 132, 136].includes(s.proto) ? 0 : (s.port ?? 0);
  return {
    ip: s.ip ?? 0,
    cidr: type === 'hash:net' ? (s.cidr ?? 32) : type === 'hash:ip,port,net' ? (s.cidr2 ?? 32) : 32,
    port,
    proto: s.proto ?? 0,
    ip2: s.ip2 ?? 0,
  };
}
