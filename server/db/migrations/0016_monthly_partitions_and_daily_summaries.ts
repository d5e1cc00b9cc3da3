import type { Migration } from './migration';

// The tables that grow with time become monthly range partitions (PostgreSQL declarative
// partitioning), converted with their rows. Each keeps its columns, and its old sequence for the
// cursor column; a primary key must include the partition key, so each key is (its id, the month's
// column). Which column: outcomes by recorded_at, which the reports select and which a resent item
// repeats (so the key still catches a resend by its idempotency key); the audit, call and event
// logs by received_at, the server's clock, which their retention windows are measured by, so an
// expired month is dropped whole (server/privacy/purge-expired.ts).
//
// Not partitioned: the synced tables. The change log here is not a separate table that grows with
// time: each synced row carries the change_seq of its latest write, so those tables grow with the
// book, not with the calendar, and a row written again would move between months. They shard by
// customer instead (README, "Deploy").

interface TimePartitioned {
  table: string;
  /** Column definitions, in the table's column order. */
  columns: string;
  /** The bigserial column whose sequence moves to the new table. */
  serial: string;
  partitionKey: string;
  primaryKey: string;
  indexes: readonly string[];
}

const TABLES: readonly TimePartitioned[] = [
  {
    table: 'outcomes',
    columns: `outcome_id uuid NOT NULL, server_seq bigint NOT NULL DEFAULT nextval('outcomes_server_seq_seq'), device_id text NOT NULL,
      client_seq bigint NOT NULL, agent_id text NOT NULL, customer_id text, offer_id text, result text NOT NULL, channel text NOT NULL,
      recorded_at timestamptz NOT NULL, received_at timestamptz NOT NULL DEFAULT now(), payload jsonb NOT NULL`,
    serial: 'server_seq',
    partitionKey: 'recorded_at',
    primaryKey: 'outcome_id, recorded_at',
    indexes: ['server_seq', 'customer_id, recorded_at', 'agent_id, recorded_at', 'recorded_at'],
  },
  {
    table: 'card_view_audit',
    columns: `server_seq bigint NOT NULL DEFAULT nextval('card_view_audit_server_seq_seq'), view_id uuid NOT NULL, agent_id text NOT NULL,
      customer_id text, phone_masked text, purpose text NOT NULL, call_id text, viewed_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(), device_id text NOT NULL`,
    serial: 'server_seq',
    partitionKey: 'received_at',
    primaryKey: 'view_id, received_at',
    indexes: ['server_seq', 'customer_id, server_seq'],
  },
  {
    table: 'cti_calls',
    columns: `id bigint NOT NULL DEFAULT nextval('cti_calls_id_seq'), call_id text NOT NULL, ani text NOT NULL, agent_id text NOT NULL,
      event text NOT NULL, received_at timestamptz NOT NULL DEFAULT now()`,
    serial: 'id',
    partitionKey: 'received_at',
    primaryKey: 'id, received_at',
    indexes: ['call_id', 'received_at', 'agent_id, received_at'],
  },
  {
    table: 'customer_events',
    columns: `event_id uuid NOT NULL, server_seq bigint NOT NULL DEFAULT nextval('customer_events_server_seq_seq'), device_id text NOT NULL,
      agent_id text NOT NULL, customer_id text NOT NULL, kind text NOT NULL, recorded_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(), applied_at_seq bigint NOT NULL, payload jsonb NOT NULL`,
    serial: 'server_seq',
    partitionKey: 'received_at',
    primaryKey: 'event_id, received_at',
    indexes: ['server_seq', 'customer_id, server_seq'],
  },
];

const columnNames = (t: TimePartitioned) => t.columns.split(',').map((c) => c.trim().split(/\s+/)[0]!);

function convert(t: TimePartitioned): string[] {
  const old = `${t.table}_unpartitioned`;
  const sequence = `${t.table}_${t.serial}_seq`;
  const columns = columnNames(t).join(', ');
  return [
    `ALTER TABLE ${t.table} RENAME TO ${old}`,
    `ALTER SEQUENCE ${sequence} OWNED BY NONE`,
    `CREATE TABLE ${t.table} (${t.columns}) PARTITION BY RANGE (${t.partitionKey})`,
    `CREATE TABLE ${t.table}_default PARTITION OF ${t.table} DEFAULT`,
    `SELECT ensure_month_partition('${t.table}', month) FROM (SELECT DISTINCT date_trunc('month', ${t.partitionKey} AT TIME ZONE 'UTC')::date AS month FROM ${old}) AS months`,
    `INSERT INTO ${t.table} (${columns}) SELECT ${columns} FROM ${old}`,
    `DROP TABLE ${old}`,
    `ALTER SEQUENCE ${sequence} OWNED BY ${t.table}.${t.serial}`,
    `ALTER TABLE ${t.table} ADD PRIMARY KEY (${t.primaryKey})`,
    ...t.indexes.map((columns) => `CREATE INDEX ${t.table}_${columns.replace(/, /g, '_')}_idx ON ${t.table} (${columns})`),
  ];
}

// The operator's day (UTC+8 all year, as server/reports/report-period.ts) and the warning levels of
// the reports (shared/contract/supervisor-reports.ts), as they stand at this migration.
const OPERATOR_DAY = `((recorded_at AT TIME ZONE 'UTC') + interval '8 hours')::date`;
const WARNED = `coalesce(payload #>> '{draft,context,warningLevel}' IN ('red', 'orange', 'yellow'), false)`;

export const migration0016MonthlyPartitionsAndDailySummaries: Migration = {
  version: 16,
  name: 'monthly partitions of the growing tables, commit-order horizon, daily outcome summaries',
  statements: [
    // The month partition of `parent` starting at `month` (UTC), created once: rows of that month
    // that had strayed into the default partition move into it first (attaching would refuse them).
    `CREATE FUNCTION ensure_month_partition(parent text, month date) RETURNS boolean LANGUAGE plpgsql AS $$
    DECLARE
      part text := format('%s_p%s', parent, to_char(month, 'YYYYMM'));
      key text;
      lower_bound timestamptz := date_trunc('month', month)::timestamp AT TIME ZONE 'UTC';
      upper_bound timestamptz := (date_trunc('month', month) + interval '1 month')::timestamp AT TIME ZONE 'UTC';
    BEGIN
      IF to_regclass(part) IS NOT NULL THEN RETURN false; END IF;
      SELECT a.attname INTO key FROM pg_partitioned_table p
        JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
        WHERE p.partrelid = parent::regclass;
      EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, parent);
      EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= $1 AND %I < $2 RETURNING *) INSERT INTO %I SELECT * FROM moved',
        parent || '_default', key, key, part) USING lower_bound, upper_bound;
      EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, lower_bound, upper_bound);
      RETURN true;
    END $$`,

    // The highest seq of a commit-ordered log a reader may serve (server/db/commit-order.ts): the
    // last seq issued, read first, capped below the lowest floor a writer still announces.
    `CREATE FUNCTION commit_order_horizon(log_sequence regclass, log_space integer) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
    DECLARE
      issued bigint;
      lowest_floor bigint;
    BEGIN
      issued := coalesce(pg_sequence_last_value(log_sequence), 0);
      SELECT min(((l.classid::bigint & 65535) << 32) | l.objid::bigint) INTO lowest_floor
        FROM pg_locks l
        WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND (l.classid::bigint >> 16) = log_space
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database());
      RETURN CASE WHEN lowest_floor IS NULL THEN issued ELSE least(issued, lowest_floor - 1) END;
    END $$`,

    // What the retention report counts, per operator day, kept as outcomes are inserted (the trigger
    // below), so a report reads a row per day, agent and offer instead of every outcome. Teams are
    // joined when the report is read (an agent who changes team takes their counts along, as before).
    // offer_id '' stands for no offer. accepted_arpu3m: the ARPU behind the retained revenue, which
    // the report multiplies by its expected months for the offers of a retention or win-back kind.
    `CREATE TABLE outcome_daily_totals (
      day             date NOT NULL,
      agent_id        text NOT NULL,
      offer_id        text NOT NULL,
      contacts        bigint NOT NULL,
      presented       bigint NOT NULL,
      accepted        bigint NOT NULL,
      declined        bigint NOT NULL,
      accepted_arpu3m double precision NOT NULL,
      PRIMARY KEY (day, agent_id, offer_id)
    )`,
    // One row per day, agent and customer contacted: distinct customers cannot be summed from counts.
    // first_warned_at: the first contact of that day at which the card showed a warning, else null.
    `CREATE TABLE outcome_daily_customers (
      day             date NOT NULL,
      agent_id        text NOT NULL,
      customer_id     text NOT NULL,
      first_warned_at timestamptz,
      PRIMARY KEY (day, agent_id, customer_id)
    )`,
    `CREATE INDEX outcome_daily_customers_customer_idx ON outcome_daily_customers (customer_id, day)`,
    `CREATE FUNCTION outcomes_add_to_daily_summaries() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO outcome_daily_totals AS t (day, agent_id, offer_id, contacts, presented, accepted, declined, accepted_arpu3m)
      SELECT ${OPERATOR_DAY}, agent_id, coalesce(offer_id, ''), count(*),
        count(*) FILTER (WHERE result IN ('accepted', 'declined', 'callback')),
        count(*) FILTER (WHERE result = 'accepted'),
        count(*) FILTER (WHERE result = 'declined'),
        coalesce(sum(coalesce((payload #>> '{draft,context,arpu3m}')::double precision, 0)) FILTER (WHERE result = 'accepted'), 0)
      FROM new_outcomes GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (day, agent_id, offer_id) DO UPDATE SET contacts = t.contacts + EXCLUDED.contacts,
        presented = t.presented + EXCLUDED.presented, accepted = t.accepted + EXCLUDED.accepted,
        declined = t.declined + EXCLUDED.declined, accepted_arpu3m = t.accepted_arpu3m + EXCLUDED.accepted_arpu3m;
      INSERT INTO outcome_daily_customers AS c (day, agent_id, customer_id, first_warned_at)
      SELECT ${OPERATOR_DAY}, agent_id, customer_id, min(recorded_at) FILTER (WHERE ${WARNED})
      FROM new_outcomes WHERE customer_id IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (day, agent_id, customer_id) DO UPDATE SET first_warned_at = least(c.first_warned_at, EXCLUDED.first_warned_at);
      RETURN NULL;
    END $$`,

    // Created before the rows are copied in, so the copy fills the summaries.
    ...TABLES.flatMap((t) =>
      t.table === 'outcomes'
        ? [
            ...convert(t).slice(0, 5),
            `CREATE TRIGGER outcomes_daily_summaries AFTER INSERT ON outcomes REFERENCING NEW TABLE AS new_outcomes
              FOR EACH STATEMENT EXECUTE FUNCTION outcomes_add_to_daily_summaries()`,
            ...convert(t).slice(5),
          ]
        : convert(t),
    ),
  ],
};
