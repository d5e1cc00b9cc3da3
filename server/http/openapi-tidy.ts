// Last touches on the generated OpenAPI 3.0 document, where zod's JSON Schema output and the
// OpenAPI 3.0 schema dialect disagree. Each one keeps the meaning and makes the document say it in
// a way validators and client generators read the same.
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const SCHEMAS_PREFIX = '#/components/schemas/';

/** Visits every schema-like object of the document; example payloads are data, not schemas, and are left alone. */
function visitObjects(value: Json, visit: (object: JsonObject) => void, parentKey = ''): void {
  if (Array.isArray(value)) {
    for (const item of value) visitObjects(item, visit);
    return;
  }
  if (!isObject(value)) return;
  visit(value);
  for (const [key, child] of Object.entries(value)) {
    const isExamplePayload = key === 'example' || (key === 'examples' && parentKey !== 'properties');
    if (!isExamplePayload) visitObjects(child, visit, key);
  }
}

/**
 * OpenAPI 3.0.3: `nullable` does not widen an `enum`, so null must be one of its values. zod writes
 * a nullable enum as `nullable: true` beside the enum alone, which validators read as "never null".
 */
function allowNullInNullableEnum(schema: JsonObject): void {
  const values = schema.enum;
  if (schema.nullable === true && Array.isArray(values) && !values.includes(null)) values.push(null);
}

/**
 * OpenAPI 3.0 has no `prefixItems`, so zod writes a tuple as `items: { anyOf: [each position] }`;
 * positions of the same type repeat. Repeats add nothing to an anyOf, and one member needs no anyOf.
 */
function dropRepeatedAnyOfMembers(schema: JsonObject): void {
  const members = schema.anyOf;
  if (!Array.isArray(members)) return;
  const seen = new Set<string>();
  const distinct = members.filter((member) => {
    const text = JSON.stringify(member);
    if (seen.has(text)) return false;
    seen.add(text);
    return true;
  });
  const [only] = distinct;
  if (distinct.length === 1 && isObject(only)) {
    delete schema.anyOf;
    Object.assign(schema, only);
  } else schema.anyOf = distinct;
}

function referencedSchemaNames(value: Json): Set<string> {
  const names = new Set<string>();
  visitObjects(value, (object) => {
    if (typeof object.$ref === 'string' && object.$ref.startsWith(SCHEMAS_PREFIX)) names.add(object.$ref.slice(SCHEMAS_PREFIX.length));
  });
  return names;
}

/**
 * fastify-type-provider-zod emits every registered schema twice, as read (`XInput`) and as sent
 * (`X`). Only the forms an operation uses, and what they refer to, stay; the rest would be types in
 * a generated client that nothing returns or accepts.
 */
function dropUnusedSchemas(document: JsonObject): void {
  const components = document.components;
  if (!isObject(components) || !isObject(components.schemas)) return;
  const schemas = components.schemas;
  const used = referencedSchemaNames({ ...document, components: { ...components, schemas: {} } });
  const pending = [...used];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    for (const next of referencedSchemaNames(schemas[name] ?? null)) {
      if (!used.has(next)) {
        used.add(next);
        pending.push(next);
      }
    }
  }
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
}

export function tidyOpenApiDocument<T extends object>(document: T): T {
  const json = document as unknown as JsonObject;
  visitObjects(json, (object) => {
    allowNullInNullableEnum(object);
    dropRepeatedAnyOfMembers(object);
  });
  dropUnusedSchemas(json);
  return document;
}
