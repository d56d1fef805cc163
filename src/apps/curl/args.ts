// curl 7.88.1's own command-line parser (src/tool_getparam.c getparameter/parse_args), not getopt:
// options are read in order, each checked as it is met; a long name may be any prefix of one
// option's name (compared without case, and with no `=value` form); `--no-NAME` turns a boolean
// off; short letters group (`-sS`, `-sSo FILE`, `-ofile`); `--` ends the options. Its messages
// are `curl: option WORD: REASON` and a hint, with status 2.

/** curl's aliases[] in table order: `LETTERS NAME KIND`, KIND n (none), b (boolean), s (string), f (file name). */
const ALIASES: readonly string[] = [
  '*@ url s',
  '*4 dns-ipv4-addr s',
  '*6 dns-ipv6-addr s',
  '*a random-file f',
  '*b egd-file s',
  '*B oauth2-bearer s',
  '*c connect-timeout s',
  '*C doh-url s',
  '*d ciphers s',
  '*D dns-interface s',
  '*e disable-epsv b',
  '*f disallow-username-in-url b',
  '*E epsv b',
  '*F dns-servers s',
  '*g trace f',
  '*G npn b',
  '*h trace-ascii f',
  '*H alpn b',
  '*i limit-rate s',
  '*I rate s',
  '*j compressed b',
  '*J tr-encoding b',
  '*k digest b',
  '*l negotiate b',
  '*m ntlm b',
  '*M ntlm-wb b',
  '*n basic b',
  '*o anyauth b',
  '*p wdebug b',
  '*q ftp-create-dirs b',
  '*r create-dirs b',
  '*R create-file-mode s',
  '*s max-redirs s',
  '*t proxy-ntlm b',
  '*u crlf b',
  '*v stderr f',
  '*V aws-sigv4 s',
  '*w interface s',
  '*x krb s',
  '*x krb4 s',
  '*X haproxy-protocol b',
  '*y max-filesize s',
  '*z disable-eprt b',
  '*Z eprt b',
  '*~ xattr b',
  '$a ftp-ssl b',
  '$a ssl b',
  '$b ftp-pasv b',
  '$c socks5 s',
  '$d tcp-nodelay b',
  '$e proxy-digest b',
  '$f proxy-basic b',
  '$g retry s',
  '$V retry-connrefused b',
  '$h retry-delay s',
  '$i retry-max-time s',
  '$k proxy-negotiate b',
  '$l form-escape b',
  '$m ftp-account s',
  '$n proxy-anyauth b',
  '$o trace-time b',
  '$p ignore-content-length b',
  '$q ftp-skip-pasv-ip b',
  '$r ftp-method s',
  '$s local-port s',
  '$t socks4 s',
  '$T socks4a s',
  '$u ftp-alternative-to-user s',
  '$v ftp-ssl-reqd b',
  '$v ssl-reqd b',
  '$w sessionid b',
  '$x ftp-ssl-control b',
  '$y ftp-ssl-ccc b',
  '$j ftp-ssl-ccc-mode s',
  '$z libcurl s',
  '$# raw b',
  '$0 post301 b',
  '$1 keepalive b',
  '$2 socks5-hostname s',
  '$3 keepalive-time s',
  '$4 post302 b',
  '$5 noproxy s',
  '$7 socks5-gssapi-nec b',
  '$8 proxy1.0 s',
  '$9 tftp-blksize s',
  '$A mail-from s',
  '$B mail-rcpt s',
  '$C ftp-pret b',
  '$D proto s',
  '$E proto-redir s',
  '$F resolve s',
  '$G delegation s',
  '$H mail-auth s',
  '$I post303 b',
  '$J metalink b',
  '$6 sasl-authzid s',
  '$K sasl-ir b',
  '$L test-event b',
  '$M unix-socket f',
  '$N path-as-is b',
  '$O socks5-gssapi-service s',
  '$O proxy-service-name s',
  '$P service-name s',
  '$Q proto-default s',
  '$R expect100-timeout s',
  '$S tftp-no-options b',
  '$U connect-to s',
  '$W abstract-unix-socket f',
  '$X tls-max s',
  '$Y suppress-connect-headers b',
  '$Z compressed-ssh b',
  '$~ happy-eyeballs-timeout-ms s',
  '$! retry-all-errors b',
  '0 http1.0 n',
  '01 http1.1 n',
  '02 http2 n',
  '03 http2-prior-knowledge n',
  '04 http3 n',
  '05 http3-only n',
  '09 http0.9 b',
  '1 tlsv1 n',
  '10 tlsv1.0 n',
  '11 tlsv1.1 n',
  '12 tlsv1.2 n',
  '13 tlsv1.3 n',
  '1A tls13-ciphers s',
  '1B proxy-tls13-ciphers s',
  '2 sslv2 n',
  '3 sslv3 n',
  '4 ipv4 n',
  '6 ipv6 n',
  'a append b',
  'A user-agent s',
  'b cookie s',
  'ba alt-svc s',
  'bb hsts s',
  'B use-ascii b',
  'c cookie-jar s',
  'C continue-at s',
  'd data s',
  'dr data-raw s',
  'da data-ascii s',
  'db data-binary s',
  'de data-urlencode s',
  'df json s',
  'dg url-query s',
  'D dump-header f',
  'e referer s',
  'E cert f',
  'Ea cacert f',
  'Eb cert-type s',
  'Ec key f',
  'Ed key-type s',
  'Ee pass s',
  'Ef engine s',
  'Eg capath f',
  'Eh pubkey s',
  'Ei hostpubmd5 s',
  'EF hostpubsha256 s',
  'Ej crlfile f',
  'Ek tlsuser s',
  'El tlspassword s',
  'Em tlsauthtype s',
  'En ssl-allow-beast b',
  'Eo ssl-auto-client-cert b',
  'EO proxy-ssl-auto-client-cert b',
  'Ep pinnedpubkey s',
  'EP proxy-pinnedpubkey s',
  'Eq cert-status b',
  'EQ doh-cert-status b',
  'Er false-start b',
  'Es ssl-no-revoke b',
  'ES ssl-revoke-best-effort b',
  'Et tcp-fastopen b',
  'Eu proxy-tlsuser s',
  'Ev proxy-tlspassword s',
  'Ew proxy-tlsauthtype s',
  'Ex proxy-cert f',
  'Ey proxy-cert-type s',
  'Ez proxy-key f',
  'E0 proxy-key-type s',
  'E1 proxy-pass s',
  'E2 proxy-ciphers s',
  'E3 proxy-crlfile f',
  'E4 proxy-ssl-allow-beast b',
  'E5 login-options s',
  'E6 proxy-cacert f',
  'E7 proxy-capath f',
  'E8 proxy-insecure b',
  'E9 proxy-tlsv1 n',
  'EA socks5-basic b',
  'EB socks5-gssapi b',
  'EC etag-save f',
  'ED etag-compare f',
  'EE curves s',
  'f fail b',
  'fa fail-early b',
  'fb styled-output b',
  'fc mail-rcpt-allowfails b',
  'fd fail-with-body b',
  'fe remove-on-error b',
  'F form s',
  'Fs form-string s',
  'g globoff b',
  'G get b',
  'Ga request-target s',
  'h help b',
  'H header s',
  'Hp proxy-header s',
  'i include b',
  'I head b',
  'j junk-session-cookies b',
  'J remote-header-name b',
  'k insecure b',
  'kd doh-insecure b',
  'K config f',
  'l list-only b',
  'L location b',
  'Lt location-trusted b',
  'm max-time s',
  'M manual b',
  'n netrc b',
  'no netrc-optional b',
  'ne netrc-file f',
  'N buffer b',
  'o output f',
  'O remote-name b',
  'Oa remote-name-all b',
  'Ob output-dir s',
  'Oc clobber b',
  'p proxytunnel b',
  'P ftp-port s',
  'q disable b',
  'Q quote s',
  'r range s',
  'R remote-time b',
  's silent b',
  'S show-error b',
  't telnet-option s',
  'T upload-file f',
  'u user s',
  'U proxy-user s',
  'v verbose b',
  'V version b',
  'w write-out s',
  'x proxy s',
  'xa preproxy s',
  'X request s',
  'Y speed-limit s',
  'y speed-time s',
  'z time-cond s',
  'Z parallel b',
];

export interface CurlOption {
  /** The option's long name (`silent`, `max-time`). */
  readonly name: string;
  /** Its parameter, for a string or file name option. */
  readonly arg?: string;
  /** Off (`--no-silent`), for a boolean. */
  readonly off?: boolean;
  /** The word the user typed, for the option's own messages. */
  readonly word: string;
}

/** A usage error: curl prints `curl: option WORD: REASON` and its hint, and exits 2. */
export class CurlParamError extends Error {
  constructor(
    readonly word: string,
    readonly reason: string,
  ) {
    super(`curl: option ${word}: ${reason}`);
  }
}

interface Alias {
  readonly letters: string;
  readonly name: string;
  readonly kind: 'n' | 'b' | 's' | 'f';
}

const TABLE: readonly Alias[] = ALIASES.map((a) => {
  const [letters, name, kind] = a.split(' ') as [string, string, Alias['kind']];
  return { letters, name, kind };
});

function findLong(word: string): { alias: Alias; off: boolean } | string {
  const off = word.toLowerCase().startsWith('no-');
  const name = (off ? word.slice(3) : word).toLowerCase();
  let hits = 0;
  let hit: Alias | undefined;
  for (const a of TABLE) {
    if (!a.name.startsWith(name)) continue;
    hit = a;
    hits++;
    if (a.name === name) {
      hits = 1;
      break;
    }
  }
  if (hits > 1) return 'is ambiguous';
  if (!hit) return 'is unknown';
  if (off && hit.kind !== 'b') return "used '--no-' for option that isn't a boolean";
  return { alias: hit, off };
}

/**
 * Reads curl's command line in order: each option is handed to `take` as it is met (which may
 * throw a CurlParamError for its value, stopping there, as curl does); returns the URLs.
 */
export function parseCurlArgs(args: readonly string[], take: (o: CurlOption) => void): string[] {
  const urls: string[] = [];
  let flags = true;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (!flags || !word.startsWith('-')) {
      urls.push(word);
      continue;
    }
    if (word === '--') {
      flags = false;
      continue;
    }
    const next = args[i + 1];
    if (word.startsWith('--')) {
      const found = findLong(word.slice(2));
      if (typeof found === 'string') throw new CurlParamError(word, found);
      const { alias, off } = found;
      if (alias.kind === 's' || alias.kind === 'f') {
        if (next === undefined) throw new CurlParamError(word, 'requires parameter');
        take({ name: alias.name, arg: next, word });
        i++;
      } else take({ name: alias.name, off, word });
      continue;
    }
    // Short letters: flags group until one that takes a parameter, attached or in the next word.
    const letters = word.slice(1);
    for (let j = 0; j === 0 || j < letters.length; j++) {
      const alias = TABLE.find((a) => a.letters === letters[j]);
      if (!alias) throw new CurlParamError(word, 'is unknown');
      if (alias.kind === 'n' || alias.kind === 'b') {
        take({ name: alias.name, word });
        continue;
      }
      if (j + 1 < letters.length) take({ name: alias.name, arg: letters.slice(j + 1), word });
      else if (next === undefined) throw new CurlParamError(word, 'requires parameter');
      else {
        take({ name: alias.name, arg: next, word });
        i++;
      }
      break;
    }
  }
  return urls;
}

/** 2^63 - 1, which a double holds as 2^63: close enough for the range checks it serves. */
const LONG_MAX = 2 ** 63 - 1;

/** curl's secs2ms(): a whole strtod() number of seconds, not negative, at most LONG_MAX/1000. */
export function secondsParam(o: CurlOption): number {
  const text = o.arg ?? '';
  const m = /^[ \t\n\v\f\r]*([+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?))$/i.exec(text);
  if (!m) throw new CurlParamError(o.word, 'expected a proper numerical parameter');
  const v = /inf/i.test(m[1]!) ? (m[1]!.startsWith('-') ? -Infinity : Infinity) : Number(m[1]);
  if (v > LONG_MAX / 1000) throw new CurlParamError(o.word, 'too large number');
  if (v < 0) throw new CurlParamError(o.word, 'expected a positive numerical parameter');
  return v;
}

/** --local-port NUM[-NUM]: the first port of the range. */
export function localPortParam(o: CurlOption): number {
  const m = /^(\d*)(.*)$/s.exec(o.arg ?? '')!;
  const port = m[1] === '' ? NaN : Number(m[1]);
  if (!(port <= 65535)) throw new CurlParamError(o.word, 'is badly used here');
  const range = /^\s*-\s*(\S{1,6})/.exec(m[2]!);
  if (range) {
    const last = /^\d+$/.test(range[1]!) ? Number(range[1]) : NaN;
    if (!(last <= 65535) || last - (port - 1) < 1) throw new CurlParamError(o.word, 'is badly used here');
  }
  return port;
}
