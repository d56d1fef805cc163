#!/usr/bin/env node
// Writes src/kubectl/explain/schemas.json: the API types' field descriptions, types, enums and
// required fields that `kubectl explain` prints, read from the declarations kubernetes-models
// generates from Kubernetes' own OpenAPI document (its .d.ts files keep each field's description
// as a doc comment). Run after upgrading kubernetes-models:
//   npx tsc -p . && node scripts/explain-schemas.mjs    (write)
//   node scripts/explain-schemas.mjs --check             (exit 1 when the committed file differs)
// Only the kinds the lab's API server serves (src/api/resources.ts) and the types they use are kept.
//
// The file holds, per type (keyed by its generated name, e.g. IIoK8sApiCoreV1Pod): `name` (Pod),
// `description`, `properties` (field → {description, type}), `required`; and `kinds`: the
// top-level kinds by apiVersion/kind. A type is one of: "string" | "integer" | "boolean" | "object",
// {ref: NAME}, {items: TYPE}, {map: TYPE}, {enum: [..]} (strings). Numbers read as integer: the
// declarations do not tell int from float, and every number field of the types served here is an integer.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import ts from 'typescript';
import { apiVersionOf, BUILTIN } from '../dist/src/api/resources.js';

const require = createRequire(import.meta.url);
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const OUT = path.join(root, 'src/kubectl/explain/schemas.json');
const dirs = [
  path.dirname(require.resolve('kubernetes-models/package.json')),
  path.dirname(require.resolve('@kubernetes-models/apimachinery/package.json')),
];

/** Every .d.ts under `dir`, sorted (the output does not depend on the directory order). */
function declarations(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && !e.name.startsWith('_') && e.name !== 'node_modules') out.push(...declarations(p));
    else if (e.name.endsWith('.d.ts') && e.name !== 'index.d.ts') out.push(p);
  }
  return out.sort();
}

/** The text of the doc comment right before `node` (` * ` margins off, the generator's escapes undone). */
function docOf(node, text) {
  const ranges = ts.getLeadingCommentRanges(text, node.pos) ?? [];
  const last = ranges.filter((r) => text.startsWith('/**', r.pos)).at(-1);
  if (!last) return undefined;
  const body = text.slice(last.pos + 3, last.end - 2);
  // kubernetes-models adds a JSDoc @deprecated tag under descriptions that say "Deprecated": not Kubernetes' text
  const lines = body
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .filter((l) => l.trim() !== '@deprecated');
  while (lines.length && lines[0].trim() === '') lines.shift();
  while (lines.length && lines.at(-1).trim() === '') lines.pop();
  return lines
    .join('\n')
    .replace(/\*\\\//g, '*/')
    .replace(/\\([*@])/g, '$1');
}

const schemas = {};
const kinds = [];
/** Generated names of aliases to primitives (Time → string) or unions of them (IntOrString). */
const aliases = {};

function typeOf(node, local) {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return 'string';
    case ts.SyntaxKind.NumberKeyword:
      return 'integer';
    case ts.SyntaxKind.BooleanKeyword:
      return 'boolean';
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
    case ts.SyntaxKind.ObjectKeyword:
      return 'object';
    case ts.SyntaxKind.LiteralType:
      return { enum: [node.literal.text] };
    case ts.SyntaxKind.UnionType: {
      const lits = node.types.filter((t) => t.kind === ts.SyntaxKind.LiteralType);
      if (lits.length === node.types.length) return { enum: lits.map((t) => t.literal.text) };
      return 'object';
    }
    case ts.SyntaxKind.ArrayType:
      return { items: typeOf(node.elementType, local) };
    case ts.SyntaxKind.TypeReference: {
      const name = node.typeName.getText();
      if (name === 'Array') return { items: typeOf(node.typeArguments[0], local) };
      return { ref: local.get(name) ?? name };
    }
    case ts.SyntaxKind.TypeLiteral: {
      const index = node.members.find((m) => m.kind === ts.SyntaxKind.IndexSignature);
      return index ? { map: typeOf(index.type, local) } : 'object';
    }
    default:
      return 'object';
  }
}

for (const file of dirs.flatMap(declarations)) {
  const text = fs.readFileSync(file, 'utf8');
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  // `export { IPod as IIoK8sApiCoreV1Pod, … }` and the imports name types by their generated names
  const local = new Map();
  for (const st of src.statements) {
    if (ts.isImportDeclaration(st))
      for (const el of st.importClause?.namedBindings?.elements ?? []) local.set(el.name.text, el.propertyName?.text ?? el.name.text);
    if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause))
      for (const el of st.exportClause.elements) if (el.propertyName) local.set(el.propertyName.text, el.name.text);
  }
  for (const st of src.statements) {
    if (ts.isTypeAliasDeclaration(st) && local.has(st.name.text)) {
      const t = st.type;
      const prim = [ts.SyntaxKind.StringKeyword, ts.SyntaxKind.NumberKeyword, ts.SyntaxKind.BooleanKeyword].includes(t.kind);
      aliases[local.get(st.name.text)] = {
        name: st.name.text.slice(1),
        description: docOf(st, text),
        // an alias to one primitive is that type to explain (Time: string); a union (IntOrString,
        // Quantity) has no single type, so explain names it
        ...(prim ? { type: typeOf(t, local) } : {}),
      };
    }
    if (!ts.isInterfaceDeclaration(st) || !local.has(st.name.text)) continue;
    const properties = {};
    const required = [];
    let apiVersion;
    let kind;
    for (const m of st.members) {
      if (!ts.isPropertySignature(m) || !m.type) continue;
      const name = m.name.text ?? m.name.getText();
      if (name === 'apiVersion' && ts.isLiteralTypeNode(m.type)) apiVersion = m.type.literal.text;
      if (name === 'kind' && ts.isLiteralTypeNode(m.type)) kind = m.type.literal.text;
      const type = (name === 'apiVersion' || name === 'kind') && ts.isLiteralTypeNode(m.type) ? 'string' : typeOf(m.type, local);
      properties[name] = { description: docOf(m, text), type };
      if (!m.questionToken && !(apiVersion && name === 'apiVersion') && !(kind && name === 'kind')) required.push(name);
    }
    const key = local.get(st.name.text);
    schemas[key] = { name: st.name.text.slice(1), description: docOf(st, text), properties, ...(required.length ? { required } : {}) };
    if (apiVersion && kind) kinds.push({ apiVersion, kind, schema: key });
  }
}
for (const [k, v] of Object.entries(aliases)) schemas[k] ??= v;

// the top-level kinds' apiVersion and kind: their declarations carry no description; every kind's
// OpenAPI schema has these two (meta/v1 Status's, the same text)
const status = schemas.IIoK8sApimachineryPkgApisMetaV1Status.properties;
for (const { schema } of kinds) {
  const p = schemas[schema].properties;
  p.apiVersion = { ...p.apiVersion, description: status.apiVersion.description };
  p.kind = { ...p.kind, description: status.kind.description };
}

// what the lab serves, and the types those use
const served = new Set(BUILTIN.map((b) => `${apiVersionOf(b)}/${b.kind}`));
const keptKinds = kinds.filter((k) => served.has(`${k.apiVersion}/${k.kind}`));
const kept = {};
const visit = (t) => {
  if (typeof t !== 'object') return;
  if (t.ref) keep(t.ref);
  for (const inner of [t.items, t.map]) if (inner) visit(inner);
};
const keep = (name) => {
  if (kept[name] || !schemas[name]) return;
  kept[name] = schemas[name];
  for (const p of Object.values(schemas[name].properties ?? {})) visit(p.type);
};
for (const k of keptKinds) keep(k.schema);

const json = `${JSON.stringify({ source: `kubernetes-models ${require('kubernetes-models/package.json').version}`, kinds: keptKinds, schemas: kept })}\n`;
if (process.argv.includes('--check')) {
  const same = fs.existsSync(OUT) && fs.readFileSync(OUT, 'utf8') === json;
  if (!same) console.error(`${path.relative(root, OUT)} differs from what kubernetes-models gives: run node scripts/explain-schemas.mjs`);
  process.exit(same ? 0 : 1);
}
fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(OUT, json);
console.log(`${path.relative(root, OUT)}: ${keptKinds.length} kinds, ${Object.keys(kept).length} types, ${json.length} bytes`);
