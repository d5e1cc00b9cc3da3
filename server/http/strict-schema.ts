// The shared contract's objects strip unknown keys (right for the desk parsing responses).
// At the server's door an unknown field is more likely a client bug or a typo in a field
// name, so request schemas are made strict at every depth: it becomes a 400 naming the key.
import { z } from 'zod';

export function strictDeep<T extends z.ZodType>(schema: T): T {
  return strictify(schema) as T;
}

function strictify(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) {
    const shape = Object.fromEntries(Object.entries(schema.shape).map(([key, value]) => [key, strictify(value as z.ZodType)]));
    // Cloning the definition keeps refinements (checks) attached to the object.
    return schema.clone({ ...schema.def, shape, catchall: z.never() });
  }
  if (schema instanceof z.ZodArray) return schema.clone({ ...schema.def, element: strictify(schema.element as z.ZodType) });
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault)
    return schema.clone({ ...schema.def, innerType: strictify(schema.def.innerType as z.ZodType) } as never);
  if (schema instanceof z.ZodUnion) return schema.clone({ ...schema.def, options: schema.def.options.map((o) => strictify(o as z.ZodType)) } as never);
  if (schema instanceof z.ZodRecord) return schema.clone({ ...schema.def, valueType: strictify(schema.def.valueType as z.ZodType) } as never);
  return schema;
}
