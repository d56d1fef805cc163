// The JSON writer and the dual-mode printer against iproute2's exact output forms.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonWriter, raw } from './json.js';
import { Printer } from './print.js';

function doc(pretty: boolean, body: (p: Printer) => void, json = true, oneline = false): string {
  const p = new Printer({ json, pretty, oneline });
  p.begin();
  body(p);
  return p.end();
}

const link = (p: Printer) => {
  p.openObject();
  p.any('ifindex', 5, '5: ');
  p.openArray('flags', '<');
  for (const f of ['BROADCAST', 'UP']) p.js(undefined, f);
  p.fp('BROADCAST,UP');
  p.closeArray('> ');
  p.any('mtu', 1450, 'mtu 1450');
  p.nl();
  p.any('hello_timer', raw('0.00'), '    hello_timer    0.00');
  p.openArray('addr_info');
  p.openObject();
  p.js('local', '10.0.0.1');
  p.closeObject();
  p.closeArray();
  p.fp('\n');
  p.closeObject();
};

test('Printer writes compact JSON as `ip -j` does', () => {
  assert.equal(
    doc(false, link),
    '[{"ifindex":5,"flags":["BROADCAST","UP"],"mtu":1450,"hello_timer":0.00,"addr_info":[{"local":"10.0.0.1"}]}]\n',
  );
});

test('Printer writes `ip -j -p` layout: `[ {`, four-space levels, inline scalar arrays', () => {
  assert.equal(
    doc(true, link),
    [
      '[ {',
      '        "ifindex": 5,',
      '        "flags": [ "BROADCAST","UP" ],',
      '        "mtu": 1450,',
      '        "hello_timer": 0.00,',
      '        "addr_info": [ {',
      '                "local": "10.0.0.1"',
      '            } ]',
      '    } ]',
      '',
    ].join('\n'),
  );
});

test('Printer prints empty answers as [] and [ ] with -p', () => {
  assert.equal(
    doc(false, () => {}),
    '[]\n',
  );
  assert.equal(
    doc(true, () => {}),
    '[ ]\n',
  );
});

test('Printer plain text follows the text forms and -o turns line breaks into backslashes', () => {
  assert.equal(doc(false, link, false), '5: <BROADCAST,UP> mtu 1450\n    hello_timer    0.00\n');
  assert.equal(doc(false, link, false, true), '5: <BROADCAST,UP> mtu 1450\\    hello_timer    0.00\n');
});

test('JsonWriter escapes only what jsonw_puts escapes', () => {
  const w = new JsonWriter(false);
  w.value('a"b\\c\td/é');
  assert.equal(w.text(), '"a\\"b\\\\c\\td/é"');
});
