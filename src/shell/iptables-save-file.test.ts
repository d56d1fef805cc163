// iptables-save -f opens its file the moment the option is read (iptables/xtables-save.c): a file
// that cannot be written ends the command before any other check, with the tool's message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FileError } from '../apps/proc.js';
import { Session } from './session.js';

test('iptables-save -f into a missing directory fails first with "Failed to open file"', () => {
  const s = new Session({ host: 'save', seed: 'save' });
  let err = '';
  let out = '';
  const status = s.run('iptables-save -f /nonexistent/x -t foo', {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    writeFile: (p) => {
      throw new FileError(p, 'No such file or directory');
    },
    readFile: () => undefined,
  });
  assert.equal(status, 1);
  assert.equal(err, 'Failed to open file, error: No such file or directory\n');
  assert.equal(out, '');
});
