// AGE (apimachinery duration_test.go TestHumanDuration), Go's tab writer, kubectl's JSONPath
// (client-go jsonpath_test.go: ranges, filters, unions, slices) and custom columns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { humanDuration } from './duration.js';
import { executeJsonPath } from './jsonpath.js';
import { customColumnsText, jsonPathText, parseCustomColumns, toJson, toYaml } from './output.js';
import { KubectlError } from './env.js';
import { tabulate } from './tabwriter.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

test('humanDuration() follows HumanDuration: seconds below 2m, XmYs below 10m, minutes below 3h, XhYm below 8h, hours below 2d, XdYh below 8d, days below 2y', () => {
  const cases: [number, string][] = [
    [S, '1s'],
    [70 * S, '70s'],
    [119 * S, '119s'],
    [120 * S, '2m'],
    [190 * S, '3m10s'],
    [10 * M, '10m'],
    [70 * M, '70m'],
    [179 * M, '179m'],
    [3 * H + 4 * M, '3h4m'],
    [5 * H, '5h'],
    [8 * H, '8h'],
    [47 * H, '47h'],
    [49 * H, '2d1h'],
    [48 * H, '2d'],
    [(8 * 24 + 2) * H, '8d'],
    [367 * 24 * H, '367d'],
    [(365 * 2 * 24 + 25) * H, '2y1d'],
    [(365 * 8 * 24 + 2) * H, '8y'],
    [-1 * S, '0s'],
    [-2 * S, '<invalid>'],
    [1999, '1s'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms} ms`);
});

test('tabulate() pads each column to its widest cell plus 3, never the last cell, and aligns per block of lines', () => {
  assert.equal(tabulate('A\tBB\tC\nxxxxxxx\ty\tz\n'), 'A         BB    C\nxxxxxxx   y     z\n');
  // A line with fewer cells ends the column block above it, as Go's tabwriter does.
  assert.equal(tabulate('a\tb\n\nlonger\tc\n'), 'a     b\n\nlonger   c\n');
});

const pods = {
  kind: 'List',
  items: [
    { metadata: { name: 'a', labels: { app: 'x' } }, status: { podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True' }] } },
    { metadata: { name: 'b' }, status: { podIP: '10.0.0.2', conditions: [{ type: 'Ready', status: 'False' }] } },
  ],
};

test('jsonpath: a field, [*] joined by spaces, range/end with string literals, filters, indexes and slices', () => {
  const j = (t: string, d: unknown = pods) => executeJsonPath(t, d, { allowMissingKeys: true });
  assert.equal(j('{.items[*].metadata.name}'), 'a b');
  assert.equal(j('{range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}'), 'a\t10.0.0.1\nb\t10.0.0.2\n');
  assert.equal(j('{.items[?(@.status.conditions[0].status=="False")].metadata.name}'), 'b');
  assert.equal(j('{.items[-1].metadata.name}'), 'b');
  assert.equal(j('{.items[0:1].metadata.name}'), 'a');
  assert.equal(j("{.items[0].metadata['name']}"), 'a');
  assert.equal(j('{.items[0].metadata.labels}'), '{"app":"x"}');
  assert.equal(j('names: {.items[*].metadata.name}!'), 'names: a b!');
  assert.equal(j('{.items[5].metadata.name}'), '');
  assert.equal(j('{.items[0].spec.missing}'), '');
  assert.equal(j('{..podIP}'), '10.0.0.1 10.0.0.2');
  assert.throws(() => executeJsonPath('{.items[0].spec}', pods, { allowMissingKeys: false }), /spec is not found/);
  // parser.go advance(): a backslash escapes a terminator in a name (kubernetes.io's `{.data.\.dockerconfigjson}`)
  const secret = { data: { '.dockerconfigjson': 'e30=' }, metadata: { annotations: { 'kubernetes.io/change-cause': 'v2' } } };
  assert.equal(j('{.data.\\.dockerconfigjson}', secret), 'e30=');
  assert.equal(j('{.metadata.annotations.kubernetes\\.io/change-cause}', secret), 'v2');
});

test('custom-columns: headers as given, <none> for missing values, relaxed paths', () => {
  const cols = parseCustomColumns('NAME:.metadata.name,IP:status.podIP,APP:{.metadata.labels.app}');
  assert.equal(customColumnsText(cols, pods.items, false), 'NAME   IP         APP\na      10.0.0.1   x\nb      10.0.0.2   <none>\n');
  assert.throws(() => parseCustomColumns('NAME'), /expected <header>:<json-path-expr>/);
});

test("-o json indents by four spaces with sorted keys; -o yaml puts sequences at their key's indentation", () => {
  const obj = { kind: 'Pod', apiVersion: 'v1', spec: { containers: [{ name: 'web', image: 'nginx' }] } };
  assert.equal(
    toJson(obj),
    '{\n    "apiVersion": "v1",\n    "kind": "Pod",\n    "spec": {\n        "containers": [\n            {\n                "image": "nginx",\n                "name": "web"\n            }\n        ]\n    }\n}\n',
  );
  assert.equal(toYaml(obj), 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: nginx\n    name: web\n');
  // go-yaml v2 (YAML 1.1): what would read as a number, boolean or timestamp is double-quoted;
  // what only is not plain-safe is single-quoted; text with newlines is a literal block.
  assert.equal(
    toYaml({ creationTimestamp: '2026-01-01T00:00:00Z', resourceVersion: '84', enabled: 'yes', sel: 'x: y', json: '{"a":1}\n', empty: '' }),
    'creationTimestamp: "2026-01-01T00:00:00Z"\nempty: ""\nenabled: "yes"\njson: |\n  {"a":1}\nresourceVersion: "84"\nsel: \'x: y\'\n',
  );
});

test('quantities sum and print as resource.Quantity does: binary suffixes stay binary, millicores below a core', async () => {
  const { formatQuantity, parseQuantity } = await import('./quantity.js');
  const add = (...xs: string[]) => {
    const qs = xs.map((x) => parseQuantity(x)!);
    return formatQuantity({ value: qs.reduce((s, q) => s + q.value, 0), binary: qs[0]!.binary });
  };
  assert.equal(add('100m', '100m'), '200m');
  assert.equal(add('500m', '1500m'), '2');
  assert.equal(add('70Mi', '50Mi'), '120Mi');
  assert.equal(add('1Gi', '512Mi'), '1536Mi');
  assert.equal(add('1G'), '1G');
  assert.equal(add('0'), '0');
});

test('jsonpath as kubectl v1.32 runs it: `{range.items[*]}` without a space, a range left open, and its execution errors word for word', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { annotations: { a: 'b' }, name: 'a' },
    spec: { containers: [{ image: 'x', name: 'c' }] },
  };
  assert.equal(jsonPathText('{range.spec.containers[*]}{.name}{"\\n"}{end}', pod), 'c\n');
  assert.equal(jsonPathText('{range .spec.containers[*]}{.name}', pod), 'c');
  // recorded: kubectl annotate --local -f pod.yaml a=b -o jsonpath='{end}' (kubectl prefixes "error: ")
  const object =
    'map[string]interface {}{"apiVersion":"v1", "kind":"Pod", "metadata":map[string]interface {}{"annotations":map[string]interface {}{"a":"b"}, "name":"a"}, "spec":map[string]interface {}{"containers":[]interface {}{map[string]interface {}{"image":"x", "name":"c"}}}}';
  assert.throws(
    () => jsonPathText('{end}', pod),
    (e: Error) =>
      e instanceof KubectlError &&
      e.message ===
        `error executing jsonpath "{end}": Error executing template: not in range, nothing to end. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{end}\n\tobject given to jsonpath engine was:\n\t\t${object}\n\n`,
  );
  assert.throws(
    () => jsonPathText('{.spec.containers[5].name}', pod, false),
    (e: Error) =>
      e.message.startsWith(
        'error executing jsonpath "{.spec.containers[5].name}": Error executing template: array index out of bounds: index 5, length 1.',
      ),
  );
});

test('custom-columns specs kubectl refuses are kubectl errors (exit 1, "error: …"), not crashes', () => {
  assert.throws(
    () => parseCustomColumns('A'),
    (e: Error) => e instanceof KubectlError && e.message === 'unexpected custom-columns spec: A, expected <header>:<json-path-expr>',
  );
  assert.throws(
    () => parseCustomColumns(''),
    (e: Error) => e instanceof KubectlError && e.message === 'custom-columns format specified but no custom columns given',
  );
});
