// The Secrets `kubectl create secret generic|tls|docker-registry NAME` builds (kubectl v0.36
// pkg/cmd/create/create_secret*.go): keys from literals, files and env files checked as
// IsConfigMapKey checks them, a TLS pair's files, a registry's .dockerconfigjson.
import type { KubeObject } from '../api/index.js';
import { KubectlError } from './env.js';
import type { FlagSpec } from './flags.js';

type Io = { readFile(path: string): Uint8Array | undefined };

export const SECRET_KINDS = ['generic', 'tls', 'docker-registry'] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

export const SECRET_FLAGS: FlagSpec[] = [
  { name: 'from-literal', kind: 'strings' },
  { name: 'from-file', kind: 'strings' },
  { name: 'from-env-file', kind: 'strings' },
  { name: 'type', kind: 'string' },
  { name: 'append-hash', kind: 'bool' },
  { name: 'cert', kind: 'string' },
  { name: 'key', kind: 'string' },
  { name: 'docker-server', kind: 'string' },
  { name: 'docker-username', kind: 'string' },
  { name: 'docker-password', kind: 'string' },
  { name: 'docker-email', kind: 'string' },
];

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/** apimachinery's IsConfigMapKey. */
function configKeyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!CONFIG_KEY.test(key))
    errs.push(
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    );
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

const b64 = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
const enc = new TextEncoder();

/** addKeyFromLiteralToSecret: a valid key, not already there. */
function addKey(data: Record<string, string>, key: string, value: Uint8Array): void {
  const errs = configKeyErrors(key);
  if (errs.length) throw new KubectlError(`${JSON.stringify(key)} is not valid key name for a Secret ${errs.join(';')}`);
  if (key in data) throw new KubectlError(`cannot add key ${key}, another key by that name already exists`);
  data[key] = b64(value);
}

function readOrFail(io: Io, path: string): Uint8Array {
  const bytes = io.readFile(path);
  if (!bytes) throw new KubectlError(`error reading ${path}: no such file or directory`);
  return bytes;
}

/** util.ParseFileSource: `KEY=PATH`, or the path's base name as the key. */
function fileSources(io: Io, data: Record<string, string>, sources: readonly string[]): void {
  for (const src of sources) {
    const eq = src.indexOf('=');
    const [key, path] = eq >= 0 ? [src.slice(0, eq), src.slice(eq + 1)] : [src.split('/').at(-1)!, src];
    addKey(data, key, readOrFail(io, path));
  }
}

/** The Secret `kubectl create secret KIND NAME` sends (namespace set only with -n, as EnforceNamespace). */
export function buildSecret(io: Io, kind: SecretKind, name: string, flags: Record<string, unknown>, namespace?: string): KubeObject {
  const data: Record<string, string> = {};
  const list = (f: string) => (flags[f] as string[] | undefined) ?? [];
  let type = flags.type as string | undefined;
  if (kind === 'generic') {
    if (list('from-env-file').length && (list('from-file').length || list('from-literal').length))
      throw new KubectlError('from-env-file cannot be combined with from-file or from-literal');
    for (const lit of list('from-literal')) {
      const eq = lit.indexOf('=');
      if (eq < 0) throw new KubectlError(`invalid literal source ${lit}, expected key=value`);
      addKey(data, lit.slice(0, eq), enc.encode(lit.slice(eq + 1)));
    }
    fileSources(io, data, list('from-file'));
    for (const path of list('from-env-file'))
      for (const raw of new TextDecoder().decode(readOrFail(io, path)).split('\n')) {
        const line = raw.replace(/^[ \t]+/, '').replace(/\r$/, '');
        if (line === '' || line.startsWith('#')) continue;
        const eq = line.indexOf('=');
        addKey(data, eq < 0 ? line : line.slice(0, eq), enc.encode(eq < 0 ? '' : line.slice(eq + 1)));
      }
  } else if (kind === 'tls') {
    const cert = flags.cert as string | undefined;
    const key = flags.key as string | undefined;
    if (!cert || !key) throw new KubectlError('key and cert must be specified');
    // coarse: the pair is not parsed as tls.X509KeyPair would (any PEM text is taken)
    data['tls.crt'] = b64(readOrFail(io, cert));
    data['tls.key'] = b64(readOrFail(io, key));
    type = 'kubernetes.io/tls';
  } else {
    const from = list('from-file').map((f) => (f.includes('=') ? f : `.dockerconfigjson=${f}`));
    const server = (flags['docker-server'] as string | undefined) ?? 'https://index.docker.io/v1/';
    const user = (flags['docker-username'] as string | undefined) ?? '';
    const password = (flags['docker-password'] as string | undefined) ?? '';
    if (from.length === 0 && (!user || !password || !server))
      throw new KubectlError(
        'either --from-file or the combination of --docker-username, --docker-password and --docker-server is required',
      );
    if (from.length) fileSources(io, data, from);
    else {
      // DockerConfigEntry's fields in declaration order, empty ones left out (omitempty)
      const entry = {
        username: user,
        password,
        ...(flags['docker-email'] ? { email: flags['docker-email'] as string } : {}),
        auth: btoa(`${user}:${password}`),
      };
      data['.dockerconfigjson'] = b64(enc.encode(JSON.stringify({ auths: { [server]: entry } })));
    }
    type = 'kubernetes.io/dockerconfigjson';
  }
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    ...(Object.keys(data).length ? { data } : {}),
    ...(type ? { type } : {}),
  } as KubeObject;
}
