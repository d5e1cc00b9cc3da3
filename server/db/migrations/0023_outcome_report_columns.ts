import type { Migration } from './migration';

// The fields the supervisor reports read from each outcome, kept as stored generated columns so a
// report reads columns instead of walking every outcome's JSON document (bench/supervisor-report.ts:
// the walks, the masking and the timestamp formatting were over a third of the outcome report).
// PostgreSQL keeps them: computed when an outcome is inserted, again when its payload is updated
// (an erasure blanks the number, and its masked copy goes with it). Adding them rewrites the outcomes
// once. Numbers stay text here and are cast when read: a cast that failed on insert would refuse an
// outcome; one that fails in a report only fails the report.

// String.prototype.trim's whitespace (ASCII, no-break and Unicode spaces, line separators, BOM):
// btrim's default removes only ' '.
const JS_WHITESPACE = String.raw`E' \t\n\u000B\f\r\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF'`;
const TRIMMED = `btrim(phone, ${JS_WHITESPACE})`;

const GENERATED_COLUMNS = {
  recorded_at_text: 'utc_iso_ms(recorded_at)',
  phone_masked: `mask_phone(payload #>> '{draft,phone}')`,
  stage: `payload #>> '{draft,context,stage}'`,
  value_tier: `payload #>> '{draft,context,valueTier}'`,
  warning_level: `payload #>> '{draft,context,warningLevel}'`,
  segment: `payload #>> '{draft,context,segment}'`,
  expected_value: `payload #>> '{draft,context,expectedValue}'`,
  arpu3m: `payload #>> '{draft,context,arpu3m}'`,
  reason: `coalesce(payload #>> '{draft,declineReason}', payload #>> '{draft,notPresentedReason}')`,
};

export const migration0023OutcomeReportColumns: Migration = {
  version: 23,
  name: 'outcome fields the reports read, as stored generated columns',
  statements: [
    // maskPhone (shared/domain/masking.ts) in SQL; tests/server/reports-masking.test.ts holds the two
    // to the same output. A plain expression, so PostgreSQL inlines it where it is called.
    `CREATE FUNCTION mask_phone(phone text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN length(${TRIMMED}) >= 7 THEN left(${TRIMMED}, 3) || '****' || right(${TRIMMED}, 4)
      WHEN length(${TRIMMED}) > 2 THEN repeat('*', length(${TRIMMED}) - 2) || right(${TRIMMED}, 2)
      ELSE repeat('*', length(${TRIMMED})) END`,
    // An instant as the reports write it (2025-01-31T08:00:00.000Z). to_char is only STABLE because
    // some patterns follow the locale (TM…); these do not, and the zone is fixed, so this is immutable.
    `CREATE FUNCTION utc_iso_ms(instant timestamptz) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN to_char(instant AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    // On the partitioned table: every partition gets the columns.
    `ALTER TABLE outcomes ${Object.entries(GENERATED_COLUMNS)
      .map(([column, expression]) => `ADD COLUMN ${column} text GENERATED ALWAYS AS (${expression}) STORED`)
      .join(', ')}`,
    // A new month partition copies the generated columns (ATTACH refuses a partition without them),
    // and rows moved out of the default partition are inserted without them (they are recomputed).
    `CREATE OR REPLACE FUNCTION ensure_month_partition(parent text, month date) RETURNS boolean LANGUAGE plpgsql AS $$
    DECLARE
      part text := format('%s_p%s', parent, to_char(month, 'YYYYMM'));
      key text;
      stored_columns text;
      lower_bound timestamptz := date_trunc('month', month)::timestamp AT TIME ZONE 'UTC';
      upper_bound timestamptz := (date_trunc('month', month) + interval '1 month')::timestamp AT TIME ZONE 'UTC';
    BEGIN
      IF to_regclass(part) IS NOT NULL THEN RETURN false; END IF;
      SELECT a.attname INTO key FROM pg_partitioned_table p
        JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
        WHERE p.partrelid = parent::regclass;
      SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO stored_columns FROM pg_attribute
        WHERE attrelid = parent::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '';
      EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)', part, parent);
      EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= $1 AND %I < $2 RETURNING %s) INSERT INTO %I (%s) SELECT * FROM moved',
        parent || '_default', key, key, stored_columns, part, stored_columns) USING lower_bound, upper_bound;
      EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, lower_bound, upper_bound);
      RETURN true;
    END $$`,
  ],
};
