// `kubectl explain` against the goldens the real kubectl v1.32.4 printed for the same OpenAPI
// documents (scripts/record-explain.mjs): types, fields, enums, --recursive, paths and errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { BUILTIN } from '../api/resources.js';
import { FakeApi } from './_fake.js';
import { wordWrap } from './explain/render.js';
import { kubectl } from './kubectl.js';

const GOLDEN = path.join(import.meta.dirname, '../../../test/golden/explain');

async function explain(args: string[]): Promise<string> {
  let out = '';
  let err = '';
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), readFile: () => undefined };
  // discovery as the lab's API server serves it (the fake's lists a few resources)
  const client = Object.assign(new FakeApi(0), { resources: () => BUILTIN });
  const code = await kubectl({ client, io }, ['explain', ...args]);
  return `${out}${err ? `--- stderr\n${err}` : ''}--- exit ${code}\n`;
}

for (const file of fs.readdirSync(GOLDEN).sort()) {
  const golden = fs.readFileSync(path.join(GOLDEN, file), 'utf8');
  const [command, ...rest] = golden.split('\n');
  const args = command!
    .replace(/^\$ kubectl explain ?/, '')
    .split(' ')
    .filter(Boolean);
  test(`kubectl explain ${args.join(' ')} prints what kubectl v1.32 does`, async () => {
    assert.equal(await explain(args), rest.join('\n'));
  });
}

test('the word wrap breaks before a word that would pass the limit, keeps a longer word whole and existing breaks', () => {
  assert.equal(wordWrap('aaa bbb ccc', 7), 'aaa bbb\nccc');
  assert.equal(wordWrap('a https://very.long/url/that/passes b', 10), 'a\nhttps://very.long/url/that/passes\nb');
  assert.equal(wordWrap('one\n\ntwo three', 9), 'one\n\ntwo three');
  assert.equal(wordWrap('two  three', 9), 'two\nthree');
});

test('schemas.json is what scripts/explain-schemas.mjs makes from the installed kubernetes-models', () => {
  const root = path.join(import.meta.dirname, '../../..');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/explain-schemas.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
