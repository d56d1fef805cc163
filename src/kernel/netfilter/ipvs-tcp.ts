// Per-protocol connection state: the TCP state machine (the kernel's tcp_states[] table, INPUT /
// OUTPUT / INPUT-ONLY rows), which states count as active, and the TCP/UDP timeouts `ipvsadm
// --set` changes (net/netfilter/ipvs/ip_vs_proto_tcp.c, ip_vs_proto_udp.c).
import type { IpvsConnection } from './ipvs-conn.js';

export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

/** A TCP connection state (IP_VS_TCP_S_*), or UDP's single state, or a template's. */
export type IpvsConnState =
  | 'NONE'
  | 'ESTABLISHED'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'FIN_WAIT'
  | 'TIME_WAIT'
  | 'CLOSE'
  | 'CLOSE_WAIT'
  | 'LAST_ACK'
  | 'LISTEN'
  | 'SYNACK'
  | 'UDP'
  | 'ASSURED';

/** The TCP state names in kernel index order (IP_VS_TCP_S_*). */
const TCP_STATES: readonly IpvsConnState[] = [
  'NONE',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'SYNACK',
];
export const TCP_S = { NO: 0, ES: 1, SS: 2, SR: 3, FW: 4, TW: 5, CL: 6, CW: 7, LA: 8, LI: 9, SA: 10 } as const;
/** tcp_state_active_table: SYN_SENT, SYN_RECV, ESTABLISHED and SYNACK count as active. */
const S = TCP_S;
const TCP_ACTIVE = new Set<number>([S.ES, S.SS, S.SR, S.SA]);

/** tcp_timeouts[] in seconds, by state index. */
const TCP_TIMEOUTS_S = [2, 15 * 60, 2 * 60, 60, 2 * 60, 2 * 60, 10, 60, 30, 2 * 60, 120];
const UDP_TIMEOUT_S = 5 * 60;

/**
 * tcp_states[]: next state for [row][current state], rows INPUT syn/fin/ack/rst, OUTPUT
 * syn/fin/ack/rst, INPUT-ONLY syn/fin/ack/rst (the kernel's table, not the secure_tcp one).
 */
const { ES: sES, SS: sSS, SR: sSR, FW: sFW, TW: sTW, CL: sCL, CW: sCW, LA: sLA, LI: sLI } = S;
const TCP_STATE_TABLE: readonly (readonly number[])[] = [
  /* INPUT */
  /* syn */ [sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR],
  /* fin */ [sCL, sCW, sSS, sTW, sTW, sTW, sCL, sCW, sLA, sLI, sTW],
  /* ack */ [sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES],
  /* rst */ [sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sSR],
  /* OUTPUT */
  /* syn */ [sSS, sES, sSS, sSR, sSS, sSS, sSS, sSS, sSS, sLI, sSR],
  /* fin */ [sTW, sFW, sSS, sTW, sFW, sTW, sCL, sTW, sLA, sLI, sTW],
  /* ack */ [sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sLA, sES, sES],
  /* rst */ [sCL, sCL, sSS, sCL, sCL, sTW, sCL, sCL, sCL, sCL, sCL],
  /* INPUT-ONLY */
  /* syn */ [sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR],
  /* fin */ [sCL, sFW, sSS, sTW, sFW, sTW, sCL, sCW, sLA, sLI, sTW],
  /* ack */ [sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES],
  /* rst */ [sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sCL],
];

/** Which row of the state table a packet takes: client to server, reply, or client with no reply seen on a non-NAT connection. */
export type IpvsTcpDir = 'input' | 'output' | 'input-only';

/** TCP flags of a packet, as the state machine reads them. */
export interface IpvsTcpFlags {
  readonly syn?: boolean;
  readonly ack?: boolean;
  readonly fin?: boolean;
  readonly rst?: boolean;
}

/** tcp_state_transition()'s table lookup: the state after a packet with flags `f` (CLOSE without any flag). */
export function tcpNextState(state: number, dir: IpvsTcpDir, f: IpvsTcpFlags): number {
  const idx = f.rst ? 3 : f.syn ? 0 : f.fin ? 1 : f.ack ? 2 : -1;
  const off = dir === 'input' ? 0 : dir === 'output' ? 4 : 8;
  return idx < 0 ? S.CL : TCP_STATE_TABLE[off + idx]![state]!;
}

/** Whether a TCP state counts in the server's ActiveConn rather than InActConn. */
export function tcpActive(state: number): boolean {
  return TCP_ACTIVE.has(state);
}

/** The connection's state name as /proc/net/ip_vs_conn (and ipvsadm -c) prints it. */
export function connStateName(c: IpvsConnection): IpvsConnState {
  if (c.template) return c.assured ? 'ASSURED' : 'NONE';
  if (c.protocol === IPPROTO_UDP) return 'UDP';
  if (c.protocol === IPPROTO_TCP) return TCP_STATES[c.stateIndex] ?? 'NONE';
  return 'NONE';
}

/** The TCP timeouts by state and UDP's, in seconds (what `ipvsadm --set` changes). */
export class IpvsTimeouts {
  private readonly tcp = [...TCP_TIMEOUTS_S];
  private udp = UDP_TIMEOUT_S;

  /** A TCP state's timeout, ms. */
  tcpMs(state: number): number {
    return this.tcp[state]! * 1000;
  }

  udpMs(): number {
    return this.udp * 1000;
  }

  /** The connection timeouts `ipvsadm --timeout` shows and `--set` changes (seconds; 0 keeps). */
  get(): { tcp: number; tcpfin: number; udp: number } {
    return { tcp: this.tcp[S.ES]!, tcpfin: this.tcp[S.FW]!, udp: this.udp };
  }

  set(t: { tcp: number; tcpfin: number; udp: number }): void {
    if (t.tcp) this.tcp[S.ES] = t.tcp;
    if (t.tcpfin) this.tcp[S.FW] = t.tcpfin;
    if (t.udp) this.udp = t.udp;
  }
}
