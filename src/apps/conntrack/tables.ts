// conntrack-tools 1.4.7's option tables: the options a command may (2), must (1) or must not (0)
// take, 3 meaning an address or port pair is needed (src/conntrack.c commands_v_options), and the
// options each protocol adds once `-p` names it (extensions/libct_proto_*.c).
import type { LongOption } from '../../transcript/index.js';

/** The main options in the tool's bit order (optflags[]): the order of its checks and messages. */
export const OPTS = [
  'src',
  'dst',
  'reply-src',
  'reply-dst',
  'protonum',
  'timeout',
  'status',
  'zero',
  'event-mask',
  'tuple-src',
  'tuple-dst',
  'mask-src',
  'mask-dst',
  'nat-range',
  'mark',
  'id',
  'family',
  'src-nat',
  'dst-nat',
  'output',
  'secmark',
  'buffer-size',
  'any-nat',
  'zone',
  'label',
  'label-add',
  'label-del',
  'orig-zone',
  'reply-zone',
] as const;
export type OptName = (typeof OPTS)[number];

export type CommandName =
  | 'list'
  | 'create'
  | 'update'
  | 'delete'
  | 'get'
  | 'flush'
  | 'event'
  | 'version'
  | 'help'
  | 'exp-list'
  | 'exp-create'
  | 'exp-delete'
  | 'exp-get'
  | 'exp-flush'
  | 'exp-event'
  | 'count'
  | 'exp-count'
  | 'stats'
  | 'exp-stats'
  | 'add';

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
  /** The message for a state not in `states` (`unknown TCP state`). */
  readonly stateError?: string;
  /** The original and reply pairs a 3 in the matrix asks for, with the messages when neither is complete. */
  readonly pairs?: {
    readonly orig: readonly [string, string];
    readonly reply: readonly [string, string];
    readonly origMessage: string;
    readonly replyMessage: string;
  };
}

const PORT_PAIRS = (replyMessage: string) =>
  ({
    orig: ['sport', 'dport'],
    reply: ['reply-port-src', 'reply-port-dst'],
    origMessage: "you have to specify `--sport' and `--dport'",
    replyMessage,
  }) as const;
const TUPLE_REPLY = "you have to specify `--reply-src-port' and `--reply-dst-port'";

const PORT_OPTS = (state: boolean): LongOption[] => [
  { name: 'orig-port-src', arg: 'required', key: '1' },
  { name: 'sport', arg: 'required', key: '1' },
  { name: 'orig-port-dst', arg: 'required', key: '2' },
  { name: 'dport', arg: 'required', key: '2' },
  { name: 'reply-port-src', arg: 'required', key: '3' },
  { name: 'reply-port-dst', arg: 'required', key: '4' },
  { name: 'mask-port-src', arg: 'required', key: '5' },
  { name: 'mask-port-dst', arg: 'required', key: '6' },
  ...(state
    ? ([
        { name: 'state', arg: 'required', key: '7' },
        { name: 'tuple-port-src', arg: 'required', key: '8' },
        { name: 'tuple-port-dst', arg: 'required', key: '9' },
      ] as const)
    : ([
        { name: 'tuple-port-src', arg: 'required', key: '7' },
        { name: 'tuple-port-dst', arg: 'required', key: '8' },
      ] as const)),
];

const TCP_MATRIX: Partial<Record<CommandName, string>> = {
  list: '222200200',
  create: '333300100',
  update: '222200200',
  delete: '222200200',
  get: '333300200',
  event: '222200200',
  'exp-create': '110011011',
  'exp-delete': '111100000',
  'exp-get': '111100000',
  add: '333300100',
};
const UDP_MATRIX: Partial<Record<CommandName, string>> = {
  list: '22220000',
  create: '33330000',
  update: '22220000',
  delete: '22220000',
  get: '33330000',
  event: '22220000',
  'exp-create': '11001111',
  'exp-delete': '11110000',
  'exp-get': '11110000',
  add: '33330000',
};
const ICMP_MATRIX: Partial<Record<CommandName, string>> = {
  list: '222',
  create: '112',
  update: '222',
  delete: '222',
  get: '112',
  event: '222',
  add: '112',
};
const UDP_FLAGS = [
  'sport',
  'dport',
  'reply-port-src',
  'reply-port-dst',
  'mask-port-src',
  'mask-port-dst',
  'tuple-port-src',
  'tuple-port-dst',
];

const NUMBERED = (names: readonly string[]): LongOption[] => names.map((name, i) => ({ name, arg: 'required', key: String(i + 1) }));
const SCTP_DCCP_OPTS = [
  'orig-port-src',
  'orig-port-dst',
  'reply-port-src',
  'reply-port-dst',
  'mask-port-src',
  'mask-port-dst',
  'state',
  'tuple-port-src',
  'tuple-port-dst',
];
const SCTP_DCCP_FLAGS = [
  'sport',
  'dport',
  'reply-port-src',
  'reply-port-dst',
  'mask-port-src',
  'mask-port-dst',
  'state',
  'tuple-port-src',
  'tuple-port-dst',
];
const ALIASES: LongOption[] = [
  { name: 'sport', arg: 'required', key: '1' },
  { name: 'dport', arg: 'required', key: '2' },
];
const GRE_FLAGS = ['srckey', 'dstkey', 'reply-key-src', 'reply-key-dst', 'mask-key-src', 'mask-key-dst', 'tuple-key-src', 'tuple-key-dst'];

/** Every protocol conntrack registers (register_tcp() … register_gre()), with its options. */
export const PROTO_HANDLERS: readonly ProtoHandler[] = [
  {
    name: 'tcp',
    proto: 6,
    opts: PORT_OPTS(true),
    matrix: TCP_MATRIX,
    stateError: 'unknown TCP state',
    pairs: PORT_PAIRS(TUPLE_REPLY),
    flags: [
      'sport',
      'dport',
      'reply-port-src',
      'reply-port-dst',
      'mask-port-src',
      'mask-port-dst',
      'state',
      'tuple-port-src',
      'tuple-port-dst',
    ],
    states: ['NONE', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE', 'SYN_SENT2'],
  },
  { name: 'udp', proto: 17, opts: PORT_OPTS(false), matrix: UDP_MATRIX, flags: UDP_FLAGS, pairs: PORT_PAIRS(TUPLE_REPLY) },
  { name: 'udplite', proto: 136, opts: PORT_OPTS(false), matrix: UDP_MATRIX, flags: UDP_FLAGS, pairs: PORT_PAIRS(TUPLE_REPLY) },
  {
    name: 'sctp',
    proto: 132,
    opts: [...NUMBERED([...SCTP_DCCP_OPTS, 'orig-vtag', 'reply-vtag']), ...ALIASES],
    flags: [...SCTP_DCCP_FLAGS, 'orig-vtag', 'reply-vtag'],
    matrix: {
      list: '22220020000',
      create: '33330010011',
      update: '22220020022',
      delete: '22220020000',
      get: '33330020022',
      event: '22220020000',
      'exp-create': '11001101111',
      'exp-delete': '11110000000',
      'exp-get': '11110000000',
      add: '33330010011',
    },
    states: ['NONE', 'CLOSED', 'COOKIE_WAIT', 'COOKIE_ECHOED', 'ESTABLISHED', 'SHUTDOWN_SENT', 'SHUTDOWN_RECD', 'SHUTDOWN_ACK_SENT'],
    stateError: 'unknown SCTP state',
    pairs: PORT_PAIRS(TUPLE_REPLY),
  },
  {
    name: 'dccp',
    proto: 33,
    opts: [...NUMBERED(SCTP_DCCP_OPTS), ...ALIASES, { name: 'role', arg: 'required', key: '10' }],
    flags: [...SCTP_DCCP_FLAGS, 'role'],
    matrix: {
      list: '2222002000',
      create: '3333001001',
      update: '2222002000',
      delete: '2222002000',
      get: '3333002000',
      event: '2222002000',
      'exp-create': '1100110111',
      'exp-delete': '1111000000',
      'exp-get': '1111000000',
      add: '3333001001',
    },
    states: ['NONE', 'REQUEST', 'RESPOND', 'PARTOPEN', 'OPEN', 'CLOSEREQ', 'CLOSING', 'TIMEWAIT', 'IGNORE', 'INVALID'],
    stateError: 'Unknown DCCP state',
    // The reply message's `--report-port-dst' is the tool's own spelling.
    pairs: PORT_PAIRS("you have to specify `--reply-port-src' and `--report-port-dst'"),
  },
  {
    name: 'gre',
    proto: 47,
    flags: GRE_FLAGS,
    opts: [
      { name: 'orig-key-src', arg: 'required', key: '1' },
      { name: 'srckey', arg: 'required', key: '1' },
      { name: 'orig-key-dst', arg: 'required', key: '2' },
      { name: 'dstkey', arg: 'required', key: '2' },
      ...NUMBERED(GRE_FLAGS)
        .slice(2)
        .map((o) => ({
          ...o,
          name: ['reply-key-src', 'reply-key-dst', 'mask-key-src', 'mask-key-dst', 'tuple-key-src', 'tuple-key-dst'][Number(o.key) - 3]!,
        })),
    ],
    matrix: {
      list: '22220000',
      create: '33330000',
      update: '22220000',
      delete: '22220000',
      get: '33330000',
      event: '22220000',
      'exp-create': '11111111',
      'exp-delete': '11110000',
      'exp-get': '11110000',
      add: '33330000',
    },
    pairs: {
      orig: ['srckey', 'dstkey'],
      reply: ['reply-key-src', 'reply-key-dst'],
      origMessage: "you have to specify `--srckey' and `--dstkey'",
      replyMessage: "you have to specify `--reply-src-key' and `--reply-dst-key'",
    },
  },
  {
    name: 'icmpv6',
    proto: 58,
    matrix: ICMP_MATRIX,
    flags: ['icmpv6-type', 'icmpv6-code', 'icmpv6-id'],
    opts: NUMBERED(['icmpv6-type', 'icmpv6-code', 'icmpv6-id']),
  },
  {
    name: 'icmp',
    proto: 1,
    matrix: ICMP_MATRIX,
    flags: ['icmp-type', 'icmp-code', 'icmp-id'],
    opts: [
      { name: 'icmp-type', arg: 'required', key: '1' },
      { name: 'icmp-code', arg: 'required', key: '2' },
      { name: 'icmp-id', arg: 'required', key: '3' },
    ],
  },
];
