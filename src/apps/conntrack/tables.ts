// conntrack-tools 1.4.7's option tables: the options a command may (2), must (1) or must not (0)
// take, 3 meaning an address or port pair is needed (src/conntrack.c commands_v_options), and the
// options each protocol adds once `-p` names it (extensions/libct_proto_*.c).
import type { LongOption } from '../../transcript/index.js';

/** The main options in the tool's bit order (optflags[]): the order of its checks and messages. */
export const OPTS = [
  'src', 'dst', 'reply-src', 'reply-dst', 'protonum', 'timeout', 'status', 'zero', 'event-mask', 'tuple-src', 'tuple-dst',
  'mask-src', 'mask-dst', 'nat-range', 'mark', 'id', 'family', 'src-nat', 'dst-nat', 'output', 'secmark', 'buffer-size',
  'any-nat', 'zone', 'label', 'label-add', 'label-del', 'orig-zone', 'reply-zone',
] as const;
export type OptName = (typeof OPTS)[number];

export type CommandName =
  | 'list' | 'create' | 'update' | 'delete' | 'get' | 'flush' | 'event' | 'version' | 'help' | 'exp-list' | 'exp-create'
  | 'exp-delete' | 'exp-get' | 'exp-flush' | 'exp-event' | 'count' | 'exp-count' | 'stats' | 'exp-stats' | 'add';

/** One digit per option of OPTS, per command. */
export const OPT_MATRIX: Record<CommandName, string> = {
  list: '22222022000220202222202220022',
  create: '33331120000002200220000202022',
  update: '22222220000220222222000022200',
  delete: '22222220000220222222000220022',
  get: '33331000000000020002000020000',
  flush: '00000000000000002000000000000',
  event: '22222000200220202222222220022',
  version: '00000000000000000000000000000',
  help: '00002000000000000000000000000',
  'exp-list': '00000000000000002002000000000',
  'exp-create': '11221120011110000000000000000',
  'exp-delete': '11221000000000000000000000000',
  'exp-get': '11221000000000000000000000000',
  'exp-flush': '00000000000000000000000000000',
  'exp-event': '00000000000000000002000000000',
  count: '00000000000000000000000000000',
  'exp-count': '00000000000000000000000000000',
  stats: '00000000000000000000000000000',
  'exp-stats': '00000000000000000000000000000',
  add: '33331120000002200220000202022',
};

export interface ProtoHandler {
  readonly name: string;
  readonly proto: number;
  /** Long options; `key` is the option's number, which indexes `flags` (1-based). */
  readonly opts: readonly LongOption[];
  /** The protocol's option names in its bit order (its *_optflags[]). */
  readonly flags: readonly string[];
  /** Its compatibility matrix, one digit per flag; none for protocols without a final check. */
  readonly matrix?: Partial<Record<CommandName, string>>;
  readonly states?: readonly string[];
}

const PORT_OPTS = (state: boolean): LongOption[] => [
  { name: 'orig-port-src', arg: 'required', key: '1' }, { name: 'sport', arg: 'required', key: '1' },
  { name: 'orig-port-dst', arg: 'required', key: '2' }, { name: 'dport', arg: 'required', key: '2' },
  { name: 'reply-port-src', arg: 'required', key: '3' }, { name: 'reply-port-dst', arg: 'required', key: '4' },
  { name: 'mask-port-src', arg: 'required', key: '5' }, { name: 'mask-port-dst', arg: 'required', key: '6' },
  ...(state
    ? [{ name: 'state', arg: 'required', key: '7' }, { name: 'tuple-port-src', arg: 'required', key: '8' }, { name: 'tuple-port-dst', arg: 'required', key: '9' }] as const
    : [{ name: 'tuple-port-src', arg: 'required', key: '7' }, { name: 'tuple-port-dst', arg: 'required', key: '8' }] as const),
];

const TCP_MATRIX: Partial<Record<CommandName, string>> = {
  list: '222200200', create: '333300100', update: '222200200', delete: '222200200', get: '333300200', event: '222200200',
  'exp-create': '110011011', 'exp-delete': '111100000', 'exp-get': '111100000', add: '333300100',
};
const UDP_MATRIX: Partial<Record<CommandName, string>> = {
  list: '22220000', create: '33330000', update: '22220000', delete: '22220000', get: '33330000', event: '22220000',
  'exp-create': '11001111', 'exp-delete': '11110000', 'exp-get': '11110000', add: '33330000',
};
const ICMP_MATRIX: Partial<Record<CommandName, string>> = {
  list: '222', create: '112', update: '222', delete: '222', get: '112', event: '222', add: '112',
};
const UDP_FLAGS = ['sport', 'dport', 'reply-port-src', 'reply-port-dst', 'mask-port-src', 'mask-port-dst', 'tuple-port-src', 'tuple-port-dst'];

/** The protocols conntrack registers whose options the emulator reads (tcp, udp, udplite, icmp). */
export const PROTO_HANDLERS: readonly ProtoHandler[] = [
  {
    name: 'tcp', proto: 6, opts: PORT_OPTS(true), matrix: TCP_MATRIX,
    flags: ['sport', 'dport', 'reply-port-src', 'reply-port-dst', 'mask-port-src', 'mask-port-dst', 'state', 'tuple-port-src', 'tuple-port-dst'],
    states: ['NONE', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE', 'SYN_SENT2'],
  },
  { name: 'udp', proto: 17, opts: PORT_OPTS(false), matrix: UDP_MATRIX, flags: UDP_FLAGS },
  { name: 'udplite', proto: 136, opts: PORT_OPTS(false), matrix: UDP_MATRIX, flags: UDP_FLAGS },
  {
    name: 'icmp', proto: 1, matrix: ICMP_MATRIX, flags: ['icmp-type', 'icmp-code', 'icmp-id'],
    opts: [{ name: 'icmp-type', arg: 'required', key: '1' }, { name: 'icmp-code', arg: 'required', key: '2' }, { name: 'icmp-id', arg: 'required', key: '3' }],
  },
];
