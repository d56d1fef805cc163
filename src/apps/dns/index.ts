// Name resolution in programs: the C libraries' stub resolvers and the DNS tools (dig, host, nslookup, getent).
export { hostsLookup, libcOf, lookupHost, MUSL_LOADER, parseResolvConf, resolvConfOf, searchCandidates, udpExchange, type Libc, type LookupResult, type QueryLog, type ResolvConf } from './resolver.js';
