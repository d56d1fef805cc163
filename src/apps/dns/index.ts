// Name resolution in programs: the C libraries' stub resolvers and the DNS tools (dig, host, nslookup, getent).
export {
  hostsLookup,
  lastReplyIn,
  libcOf,
  lookupHost,
  MUSL_LOADER,
  parseResolvConf,
  resolvConfOf,
  searchCandidates,
  udpExchange,
  type Libc,
  type LookupResult,
  type QueryLog,
  type ResolvConf,
} from './resolver.js';
export { dig, DIG_VERSION, formatReply, recordLine } from './dig.js';
export { getent, host, nslookup } from './tools.js';
