import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unifiedDiff } from './diff.js';
test('unifiedDiff() is empty for equal texts', () => {
    assert.equal(unifiedDiff('a\nb\n', 'a\nb\n', { from: 'x', to: 'y' }), '');
});
test('unifiedDiff() shows a changed line with its context', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8'].join('\n');
    const b = ['1', '2', '3', '4', 'five', '6', '7', '8'].join('\n');
    assert.equal(unifiedDiff(a, b, { from: 'real', to: 'sim' }), '--- real\n+++ sim\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n');
});
test('unifiedDiff() reports additions and deletions in separate hunks when far apart', () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const b = [...a];
    b.splice(1, 1);
    b.splice(15, 0, 'new');
    const d = unifiedDiff(a.join('\n'), b.join('\n'), { from: 'a', to: 'b' });
    assert.equal((d.match(/^@@/gm) ?? []).length, 2, d);
    assert.match(d, /^-l1$/m);
    assert.match(d, /^\+new$/m);
});
//# sourceMappingURL=diff.test.js.map