import { describe, expect, it } from 'vitest';
import { tidyOpenApiDocument } from '../../server/http/openapi-tidy';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const documentWith = (schema: object, components: Record<string, object> = {}) => ({
  paths: { '/x': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema, example: { anyOf: [1, 1] } } } } } } } },
  components: { schemas: components },
});
const schemaOf = (document: ReturnType<typeof documentWith>) => document.paths['/x'].get.responses[200].content['application/json'].schema;

describe('tidyOpenApiDocument', () => {
  it('lets a nullable enum hold null, as OpenAPI 3.0.3 requires', () => {
    const document = tidyOpenApiDocument(documentWith({ type: 'string', nullable: true, enum: ['a', 'b'] }));
    expect(schemaOf(document)).toEqual({ type: 'string', nullable: true, enum: ['a', 'b', null] });
  });

  it('drops repeated anyOf members, and the anyOf itself when one member is left', () => {
    const pair = { type: 'number', minimum: 0 };
    const tuple = tidyOpenApiDocument(documentWith({ type: 'array', items: { anyOf: [pair, pair] }, minItems: 2, maxItems: 2 }));
    expect(schemaOf(tuple)).toEqual({ type: 'array', items: pair, minItems: 2, maxItems: 2 });
    const row = tidyOpenApiDocument(documentWith({ anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'string' }] }));
    expect(schemaOf(row)).toEqual({ anyOf: [{ type: 'string' }, { type: 'integer' }] });
  });

  it('leaves example payloads as they are', () => {
    const document = tidyOpenApiDocument(documentWith({ type: 'object' }));
    expect(document.paths['/x'].get.responses[200].content['application/json'].example).toEqual({ anyOf: [1, 1] });
  });

  it('keeps the component schemas an operation reaches, directly or through another, and drops the rest', () => {
    const document = tidyOpenApiDocument(
      documentWith(ref('Used'), { Used: { properties: { rule: ref('Rule') } }, Rule: { anyOf: [ref('Rule')] }, RuleInput: { anyOf: [ref('RuleInput')] } }),
    );
    expect(Object.keys(document.components.schemas)).toEqual(['Used', 'Rule']);
  });
});
