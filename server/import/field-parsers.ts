// Turns one cell of the operator's file into our value for a field, following the field's kind
// and the mapping's format (a date layout, tenure counted back from a date, a number locale).
// Every failure is a reason a person can act on; nothing is guessed.
import { z } from 'zod';
import { normalizeMobile } from '../../shared/domain/phone';
import type { FieldKind, FieldValue } from './entity-fields';

export type Parsed = { ok: true; value: FieldValue } | { ok: false; reason: string };
export type CellParser = (cell: string) => Parsed;

const ok = (value: FieldValue): Parsed => ({ ok: true, value });
const fail = (reason: string): Parsed => ({ ok: false, reason });

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

const DATE_TOKENS = /YYYY|MM|DD|M|D/g;
/** An optional time after the date ("2026-03-01 08:30:00", "2026-03-01T08:30Z"): ignored. */
const TIME_TAIL = '(?:[ T]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?';

/** A date layout such as YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY or YYYY/M/D. */
function dateLayoutParser(layout: string): ((cell: string) => string | null) | string {
  const order: string[] = [];
  const body = layout.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(DATE_TOKENS, (token) => {
    order.push(token[0]!);
    return token.length === 1 ? '(\\d{1,2})' : `(\\d{${token.length}})`;
  });
  if (order.filter((t) => t === 'Y').length !== 1 || order.filter((t) => t === 'M').length !== 1 || order.filter((t) => t === 'D').length !== 1)
    return `date format "${layout}" needs exactly one each of YYYY, MM (or M) and DD (or D)`;
  const pattern = new RegExp(`^${body}${TIME_TAIL}$`);
  const [year, month, day] = ['Y', 'M', 'D'].map((token) => order.indexOf(token) + 1) as [number, number, number];
  return (cell) => {
    const match = pattern.exec(cell);
    if (match === null) return null;
    return isoDate(Number(match[year]), Number(match[month]), Number(match[day]));
  };
}

const TENURE_FORMAT = /^(months|days)-before:(\d{4}-\d{2}-\d{2})$/;

/** A date field read from tenure: "months-before:2026-11-01" turns 34 into 2024-01-01. */
function tenureParser(unit: string, reference: string): CellParser {
  const [year, month, day] = reference.split('-').map(Number) as [number, number, number];
  return (cell) => {
    if (!/^\d{1,5}$/.test(cell)) return fail(`expected a whole number of ${unit}`);
    const count = Number(cell);
    const date = unit === 'months' ? new Date(Date.UTC(year, month - 1 - count, 1)) : new Date(Date.UTC(year, month - 1, day - count));
    if (unit === 'months') {
      // The same day of the month, or the month's last day when it has fewer days.
      const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
      date.setUTCDate(Math.min(day, lastDay));
    }
    return ok(date.toISOString().slice(0, 10));
  };
}

function dateParser(format: string | undefined): CellParser | string {
  const tenure = format === undefined ? null : TENURE_FORMAT.exec(format);
  if (tenure !== null) {
    if (isoDate(...(tenure[2]!.split('-').map(Number) as [number, number, number])) === null) return `"${format}" names no real date`;
    return tenureParser(tenure[1]!, tenure[2]!);
  }
  const layout = dateLayoutParser(format ?? 'YYYY-MM-DD');
  if (typeof layout === 'string') return layout;
  const expected = format ?? 'YYYY-MM-DD';
  return (cell) => {
    const date = layout(cell);
    return date === null ? fail(`not a date in the format ${expected}`) : ok(date);
  };
}

function monthParser(format: string | undefined): CellParser | string {
  if (format === undefined || format === 'YYYY-MM' || format === 'YYYYMM') {
    const pattern = format === 'YYYYMM' ? /^(\d{4})(\d{2})$/ : /^(\d{4})-(\d{1,2})$/;
    return (cell) => {
      const match = pattern.exec(cell);
      const month = match === null ? 0 : Number(match[2]);
      return match === null || month < 1 || month > 12 ? fail(`not a month in the format ${format ?? 'YYYY-MM'}`) : ok(`${match[1]}-${pad(month)}`);
    };
  }
  const date = dateParser(format);
  if (typeof date === 'string') return date;
  return (cell) => {
    const parsed = date(cell);
    return parsed.ok ? ok((parsed.value as string).slice(0, 7)) : parsed;
  };
}

/** Group and decimal separators of a locale, as Intl writes 1234567.5 there. */
function numberParser(locale: string | undefined, integer: boolean): CellParser | string {
  const tag = locale ?? 'en';
  let parts: Intl.NumberFormatPart[];
  try {
    if (Intl.NumberFormat.supportedLocalesOf([tag]).length === 0) return `number locale "${tag}" is not known`;
    parts = new Intl.NumberFormat(tag, { useGrouping: true }).formatToParts(1234567.5);
  } catch {
    return `number locale "${tag}" is not a locale tag`;
  }
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  // Spaces of any kind group digits in the locales that group with a space.
  const groupChars = /\s/.test(group) ? /[\s\u00a0\u202f]/g : new RegExp(`[${group.replace(/[\]\\^-]/g, '\\$&')}]`, 'g');
  return (cell) => {
    const plain = cell.replace(groupChars, '').replace(decimal, '.');
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(plain)) return fail(`not a number${locale ? ` in the ${tag} format` : ''}`);
    const value = Number(plain);
    if (!Number.isFinite(value)) return fail('not a finite number');
    if (value < 0) return fail('must not be negative');
    if (integer && !Number.isInteger(value)) return fail('must be a whole number');
    return ok(value);
  };
}

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1', '是', '真', '同意', 'on']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0', '否', '假', '不同意', 'off']);

function parseBoolean(cell: string): Parsed {
  const word = cell.toLowerCase();
  if (TRUE_WORDS.has(word)) return ok(true);
  if (FALSE_WORDS.has(word)) return ok(false);
  return fail('not a yes/no value (true/false, yes/no, 1/0, 是/否; or map the values)');
}

function parseMobile(cell: string): Parsed {
  const mobile = normalizeMobile(cell);
  return mobile === null ? fail('not a mainland mobile number (11 digits starting 13-19)') : ok(mobile);
}

/** The cell parser for a field, or the reason its format cannot be used. */
export function cellParser(kind: FieldKind, format: string | undefined): CellParser | string {
  const noFormat = (parser: CellParser) => (format === undefined ? parser : `a ${kind.type} field takes no format`);
  switch (kind.type) {
    case 'text':
      return noFormat((cell) => (cell.length > kind.maxLength ? fail(`longer than ${kind.maxLength} characters`) : ok(cell)));
    case 'mobile':
      return noFormat(parseMobile);
    case 'mobileList':
      return noFormat((cell) => {
        const numbers: string[] = [];
        for (const part of cell.split(/[;,|\s]+/).filter((p) => p !== '')) {
          const parsed = parseMobile(part);
          if (!parsed.ok) return fail(`"${part}": ${parsed.reason}`);
          if (!numbers.includes(parsed.value as string)) numbers.push(parsed.value as string);
        }
        return ok(numbers);
      });
    case 'idNumber':
      return noFormat((cell) =>
        /^(\d{15}|\d{17}[\dXx])$/.test(cell) ? ok(cell.toUpperCase()) : fail('not a resident ID number (15 digits, or 17 digits and a check digit or X)'),
      );
    case 'date':
      return dateParser(format);
    case 'month':
      return monthParser(format);
    case 'number':
      return numberParser(format, kind.integer === true);
    case 'boolean':
      return noFormat(parseBoolean);
    case 'enum':
      return noFormat((cell) => (kind.values.includes(cell) ? ok(cell) : fail(`expected one of ${kind.values.join(', ')} (map the source values)`)));
  }
}

/**
 * The parser for a cell the file itself typed (a Parquet number, or a date written YYYY-MM-DD,
 * with a time for a timestamp): the mapping's format describes text, not these. Null when the
 * field reads the column's text as usual (a month from a number column 202603, say).
 */
export function typedCellParser(kind: FieldKind, type: 'number' | 'date'): CellParser | null {
  if (type === 'date' && (kind.type === 'date' || kind.type === 'month'))
    return cellParser(kind, kind.type === 'month' ? 'YYYY-MM-DD' : undefined) as CellParser;
  if (type === 'number' && kind.type === 'number') return cellParser(kind, undefined) as CellParser;
  return null;
}

/** What a default in the mapping must look like: our value, already in our form. */
export function defaultSchema(kind: FieldKind): z.ZodType {
  switch (kind.type) {
    case 'text':
      return z.string().max(kind.maxLength).nullable();
    case 'mobile':
      return z.string().regex(/^1[3-9]\d{9}$/);
    case 'mobileList':
      return z.array(z.string().regex(/^1[3-9]\d{9}$/));
    case 'idNumber':
      return z
        .string()
        .regex(/^(\d{15}|\d{17}[\dX])$/)
        .nullable();
    case 'date':
      return z
        .string()
        .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isoDate(...(s.split('-').map(Number) as [number, number, number])) !== null, 'expected YYYY-MM-DD')
        .nullable();
    case 'month':
      return z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
    case 'number':
      return (kind.integer ? z.number().int() : z.number()).nonnegative().nullable();
    case 'boolean':
      return z.boolean();
    case 'enum':
      return z.enum(kind.values as [string, ...string[]]);
  }
}
