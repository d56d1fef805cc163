// TLS, coarsely: no handshake, no encryption. Each side's bytes travel in TLS 1.2-framed
// application_data records (RFC 8446 §5.1: type 23, legacy version 0x0303, 16-bit length) whose
// payload is the plaintext itself, so a capture shows record headers and readable HTTP where a real
// one shows ciphertext. Enough to tell a TLS client from a plain HTTP one, as Go's server does.

const APPLICATION_DATA = 23;
const MAX_RECORD = 16384;

/** `plain` framed as application_data records. */
export function tlsWrap(plain: Uint8Array): Uint8Array {
  const n = Math.max(1, Math.ceil(plain.length / MAX_RECORD));
  const out = new Uint8Array(plain.length + 5 * n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const part = plain.subarray(i * MAX_RECORD, (i + 1) * MAX_RECORD);
    out.set([APPLICATION_DATA, 3, 3, part.length >> 8, part.length & 255], at);
    out.set(part, at + 5);
    at += 5 + part.length;
  }
  return out;
}

/** The plaintext of the whole records at the head of `data` and how many bytes they took; undefined when `data` does not start with a TLS record. */
export function tlsUnwrap(data: Uint8Array): { readonly plain: Uint8Array; readonly used: number } | undefined {
  if (data.length >= 1 && (data[0]! < 20 || data[0]! > 23)) return undefined;
  const parts: Uint8Array[] = [];
  let at = 0;
  while (at + 5 <= data.length) {
    const len = (data[at + 3]! << 8) | data[at + 4]!;
    if (at + 5 + len > data.length) break;
    parts.push(data.subarray(at + 5, at + 5 + len));
    at += 5 + len;
  }
  const plain = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    plain.set(p, o);
    o += p.length;
  }
  return { plain, used: at };
}
