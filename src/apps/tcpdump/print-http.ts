// HTTP request and status lines as text (tcpdump's print-http.c and txtproto_print() in
// util-print.c).
import { ascii, fetchToken, HTTP_METHODS } from './_text.js';
import type { PrintContext } from './_context.js';

export function http(c: PrintContext, b: Uint8Array, len: number): void {
  c.protocol = 'http';
  let printThis = false;
  const first = fetchToken(b, 0, len);
  if (first) {
    printThis = HTTP_METHODS.has(first.token.toUpperCase());
    const second = fetchToken(b, first.next, len);
    if (second && /^[0-9]{3}$/.test(second.token)) printThis = true;
  }
  c.w('HTTP');
  if (!printThis) return;
  if (c.vflag) {
    c.w(`, length: ${len}`);
    for (let idx = 0; idx < len; ) {
      const eol = textLine(c, '\n\t', b, idx, len);
      if (eol === 0) break;
      idx = eol;
    }
  } else {
    textLine(c, ': ', b, 0, len);
  }
}

/** Prints one CRLF- or LF-terminated printable line; returns the index after it, or 0. */
function textLine(c: PrintContext, prefix: string, b: Uint8Array, start: number, len: number): number {
  for (let idx = start; idx < len; idx++) {
    const ch = c.u8(b, idx);
    if (ch === 0x0a) {
      c.w(prefix + ascii(b, start, idx));
      return idx + 1;
    }
    if (ch === 0x0d) {
      if (idx + 1 >= len) return 0;
      if (c.u8(b, idx + 1) !== 0x0a) return 0;
      c.w(prefix + ascii(b, start, idx));
      return idx + 2;
    }
    if (!(ch >= 0x20 && ch <= 0x7e) && ch !== 0x09) return 0;
  }
  // All printable but no line end: tcpdump treats the rest as cut short.
  c.w(prefix + ascii(b, start, len) + ` [|${c.protocol}]`);
  return 0;
}
