// Strict field validation on kubernetes-models' validators: the fields those validators never read
// (named like schema annotations) are still known where their type declares them, so real CRDs and
// a PriorityClass with a description are accepted, and a misspelt field is still reported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILTIN } from './resources.js';
import { checkSchema } from './schema.js';

const unknownIn = (kind: string, obj: object) => checkSchema(BUILTIN.find((b) => b.kind === kind)!.validate!, obj).unknown;

test("a CRD's schema descriptions, x-kubernetes-* extensions, externalDocs and printer column descriptions are known fields", () => {
  const schema = {
    type: 'object',
    description: 'A widget.',
    externalDocs: { url: 'https://example.com', description: 'More.' },
    properties: {
      spec: {
        type: 'object',
        description: 'What it should be.',
        'x-kubernetes-validations': [{ rule: 'self.size > 0', message: 'empty' }],
        'x-kubernetes-preserve-unknown-fields': true,
        properties: {
          ports: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['port'], items: { type: 'object' } },
        },
        bogus: 1,
      },
    },
  };
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { plural: 'widgets', kind: 'Widget' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          additionalPrinterColumns: [{ name: 'Size', type: 'string', jsonPath: '.spec.size', description: 'How big.' }],
          schema: { openAPIV3Schema: schema },
        },
      ],
    },
  };
  assert.deepEqual(unknownIn('CustomResourceDefinition', crd), ['spec.versions[0].schema.openAPIV3Schema.properties.spec.bogus']);
});

test("a PriorityClass's description is known; a description where the type has none is not", () => {
  const pc = {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'high' },
    value: 1000,
    description: 'Important pods.',
  };
  assert.deepEqual(unknownIn('PriorityClass', pc), []);
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', description: 'x' },
    spec: { containers: [{ name: 'c', image: 'i' }] },
  };
  assert.deepEqual(unknownIn('Pod', pod), ['metadata.description']);
});
