// The mapping file: how one operator's export becomes our entity, with no code per operator.
// {"entity": "customers", "key": "<column>", "fields": {"<our field>": "<column>" | {"column" | "sum",
// "map", "format", "default"}}}. It is checked in full (zod, then against the entity's fields)
// before a row is read, and every problem names the field.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ENTITY_FIELDS, IMPORT_ENTITIES, KEY_FIELD, type FieldDefinition, type FieldValue, type ImportEntity } from './entity-fields';
import { cellParser, defaultSchema, type CellParser } from './field-parsers';
import { ImportInputError } from './import-error';

const Column = z.string().min(1, 'a column name cannot be empty');
const MappedValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const FieldSpec = z
  .object({
    column: Column.optional(),
    /** Several numeric columns added up (a bill split into day/evening/night charges). */
    sum: z.array(Column).min(1).optional(),
    /** Source value → our value; values not listed pass through unchanged. */
    map: z.record(z.string(), MappedValue).optional(),
    format: z.string().min(1).optional(),
    default: z.unknown().optional(),
  })
  .strict()
  .refine((spec) => !(spec.column !== undefined && spec.sum !== undefined), 'give "column" or "sum", not both')
  .refine((spec) => spec.column !== undefined || spec.sum !== undefined || spec.default !== undefined, 'give "column", "sum" or a "default"');
type FieldSpec = z.infer<typeof FieldSpec>;

export const MappingFile = z
  .object({
    entity: z.enum(IMPORT_ENTITIES),
    key: Column,
    /** One character; by default guessed from the header line (, ; tab |). */
    delimiter: z.string().length(1).optional(),
    encoding: z.enum(['auto', 'utf-8', 'gbk']).default('auto'),
    fields: z.record(z.string(), z.union([Column, FieldSpec])),
  })
  .strict();
export type MappingFile = z.infer<typeof MappingFile>;

/** A mapping checked against its entity: each mapped field with its parser. */
export interface Mapping {
  entity: ImportEntity;
  key: string;
  delimiter: string | undefined;
  encoding: MappingFile['encoding'];
  fields: readonly MappedField[];
}

export interface MappedField {
  name: string;
  definition: FieldDefinition;
  /** Source columns read (one, several for sum, none for a constant default). */
  columns: readonly string[];
  sum: boolean;
  map: Readonly<Record<string, FieldValue>> | undefined;
  parse: CellParser;
  /** The value of an empty cell (the mapping's default, else the entity's); undefined: required. */
  fallback: FieldValue | undefined;
}

function closest(name: string, candidates: readonly string[]): string | null {
  const distance = (a: string, b: string) => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const saved = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
        previous = saved;
      }
    }
    return row[b.length]!;
  };
  const best = candidates.map((c) => [c, distance(name, c)] as const).sort((a, b) => a[1] - b[1])[0];
  return best !== undefined && best[1] <= 2 ? best[0] : null;
}

function compileField(entity: ImportEntity, name: string, raw: string | FieldSpec): MappedField {
  const definition = ENTITY_FIELDS[entity][name];
  if (definition === undefined) {
    const known = Object.keys(ENTITY_FIELDS[entity]);
    const hint = closest(name, known);
    throw new ImportInputError(`mapping: "${name}" is not a field of ${entity}${hint ? ` (did you mean "${hint}"?)` : ''}; fields: ${known.join(', ')}`);
  }
  const spec: FieldSpec = typeof raw === 'string' ? { column: raw } : raw;
  if (spec.sum !== undefined && definition.kind.type !== 'number')
    throw new ImportInputError(`mapping: field "${name}": "sum" adds numbers, and ${name} is not a number`);
  const parse = cellParser(definition.kind, spec.format);
  if (typeof parse === 'string') throw new ImportInputError(`mapping: field "${name}": ${parse}`);
  let fallback: FieldValue | undefined = definition.default ?? (definition.nullable ? null : undefined);
  if (spec.default !== undefined) {
    const checked = defaultSchema(definition.kind).safeParse(spec.default);
    if (!checked.success)
      throw new ImportInputError(
        `mapping: field "${name}": default ${JSON.stringify(spec.default)} is not a valid ${definition.kind.type} (${checked.error.issues[0]?.message ?? 'invalid'})`,
      );
    fallback = checked.data as FieldValue;
  }
  if (definition.required && spec.column === undefined && spec.sum === undefined && spec.default === undefined)
    throw new ImportInputError(`mapping: field "${name}" is required and must name a source column (or a constant default)`);
  return {
    name,
    definition,
    columns: spec.sum ?? (spec.column === undefined ? [] : [spec.column]),
    sum: spec.sum !== undefined,
    map: spec.map,
    parse,
    // A required field's empty cell is a rejected row, unless the mapping gives the value.
    fallback: definition.required && spec.default === undefined ? undefined : fallback,
  };
}

/** Checks a parsed mapping document against its entity. */
export function compileMapping(document: unknown): Mapping {
  const parsed = MappingFile.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : 'the file';
    throw new ImportInputError(`mapping: ${where}: ${issue.message}`);
  }
  const { entity, key, fields: raw } = parsed.data;
  const keyField = KEY_FIELD[entity];
  const keyed = { ...raw };
  const keySpec = keyed[keyField];
  if (keySpec === undefined) keyed[keyField] = key;
  else if ((typeof keySpec === 'string' ? keySpec : keySpec.column) !== key)
    throw new ImportInputError(`mapping: "key" is column "${key}" but field "${keyField}" maps another column; the key fills ${keyField}`);
  const fields = Object.entries(keyed).map(([name, spec]) => compileField(entity, name, spec));
  const missing = Object.entries(ENTITY_FIELDS[entity]).find(([name, def]) => def.required && !fields.some((f) => f.name === name));
  if (missing !== undefined) throw new ImportInputError(`mapping: field "${missing[0]}" is required for ${entity} and has no mapping (${missing[1].docs})`);
  // Optional fields left out still get their defaults.
  for (const [name, definition] of Object.entries(ENTITY_FIELDS[entity]))
    if (!fields.some((f) => f.name === name)) fields.push(compileField(entity, name, { default: definition.default ?? null }));
  return { entity, key, delimiter: parsed.data.delimiter, encoding: parsed.data.encoding, fields };
}

export function readMappingFile(path: string): Mapping {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImportInputError(
      code === 'ENOENT' ? `mapping file not found: ${path}` : `cannot read mapping file ${path} (${code ?? (error as Error).message})`,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ImportInputError(`mapping file ${path} is not JSON: ${(error as Error).message}`);
  }
  return compileMapping(document);
}

/** Every column the mapping reads must be in the file's header: a typo stops the import here. */
export function assertColumnsPresent(mapping: Mapping, header: readonly string[]): void {
  for (const field of mapping.fields)
    for (const column of field.columns)
      if (!header.includes(column)) {
        const hint = closest(column, header);
        throw new ImportInputError(
          `mapping: field "${field.name}" reads column "${column}", which the file does not have${hint ? ` (did you mean "${hint}"?)` : ''}`,
        );
      }
}
