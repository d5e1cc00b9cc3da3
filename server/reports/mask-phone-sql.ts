// maskPhone (shared/domain/masking.ts) in SQL, so a report can mask numbers while the database
// builds its JSON text. tests/server/reports-masking.test.ts holds the two to the same output.

// String.prototype.trim's whitespace (ASCII, no-break and Unicode spaces, line separators, BOM):
// btrim's default removes only ' '.
const JS_WHITESPACE = String.raw`E' \t\n\u000B\f\r\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF'`;

/** SQL: the text expression `phone` trimmed as maskPhone trims it; select it as a column for maskTrimmedPhoneSql. */
export const trimPhoneSql = (phone: string) => `btrim(${phone}, ${JS_WHITESPACE})`;

/**
 * SQL: maskPhone of a phone that trimPhoneSql has trimmed (null stays null). `trimmed` is read
 * several times, so pass a column, not an expression. Lengths agree for text within the BMP
 * (JavaScript counts other characters twice); the contract admits 11 ASCII digits only.
 */
export const maskTrimmedPhoneSql = (trimmed: string) => `CASE WHEN length(${trimmed}) >= 7 THEN left(${trimmed}, 3) || '****' || right(${trimmed}, 4)
    WHEN length(${trimmed}) > 2 THEN repeat('*', length(${trimmed}) - 2) || right(${trimmed}, 2)
    ELSE repeat('*', length(${trimmed})) END`;
