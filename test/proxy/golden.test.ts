// kube-proxy's iptables payload against upstream's own expectations (pkg/proxy/iptables/
// proxier_test.go), byte for byte: inputs and expected outputs transcribed from upstream's tests
// into test/proxy/upstream/NAME.yaml and NAME.iptables. These files are upstream's word, not
// ours: there is no UPDATE_GOLDEN for them.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertSameText, loadObjects, renderLikeUpstreamTests } from './harness.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../test/proxy/upstream');
const golden = (name: string) => ({ objects: loadObjects(join(DIR, `${name}.yaml`)), expected: readFileSync(join(DIR, `${name}.iptables`), 'utf8') });

test('TestOverallIPTablesRules: every service type and policy renders as upstream expects', () => {
  const { objects, expected } = golden('overall');
  assertSameText(renderLikeUpstreamTests(objects), expected, 'overall');
});
