// just-bash carries bytes between commands as latin1-shaped strings (one char per byte). These
// are the two conversions knetlab needs at that boundary.

const UTF8 = new TextDecoder();

/** A latin1-shaped byte string (just-bash's stdin) as the UTF-8 text it holds. */
export function textOfBytes(bytes: string): string {
  const a = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) a[i] = bytes.charCodeAt(i) & 0xff;
  return UTF8.decode(a);
}

/**
 * How to hand `text` to just-bash (a stdin's stdinKind, a command's stdoutKind). Given as text,
 * just-bash encodes it to UTF-8 a character at a time (2 s for kube-proxy's 11 MB payload); ASCII
 * text is already the byte string it carries, so it goes as bytes (34 ms). Other text stays text.
 */
export function byteKind(text: string): 'text' | 'bytes' {
  return /^[\x00-\x7f]*$/.test(text) ? 'bytes' : 'text';
}
