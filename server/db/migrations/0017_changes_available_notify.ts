import type { Migration } from './migration';

// "Changes available" for the desks' WebSockets (server/cti/agent-sockets.ts): after every statement
// that writes a synced table, NOTIFY sync_changes with the newest change seq it wrote. NOTIFY is
// delivered at commit, to every API instance, so every writer (imports, scoring, outcomes' contact
// history, the catalogue, scope refreshes, a `clm` command) announces its rows without knowing about
// desks, and a rolled-back write announces nothing. A transaction's repeated payloads fold into one.
//
// The synced tables are the ones that carry a change_seq (server/sync/synced-tables.ts and
// cache_scope_members): each gets the trigger here. A synced table added by a later migration adds
// the same two triggers. Transition tables take one event per trigger, hence one for INSERT (which
// also covers the insert of an upsert) and one for UPDATE (its update, and tombstones).

const SYNCED_TABLES_WITH_CHANGE_SEQ = `
  SELECT c.relname AS table_name FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'change_seq' AND NOT a.attisdropped
  WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition`;

export const migration0017ChangesAvailableNotify: Migration = {
  version: 17,
  name: 'changes_available_notify',
  statements: [
    `CREATE FUNCTION notify_changes_available() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      newest bigint;
    BEGIN
      SELECT max(change_seq) INTO newest FROM written_rows;
      IF newest IS NOT NULL THEN
        PERFORM pg_notify('sync_changes', newest::text);
      END IF;
      RETURN NULL;
    END $$`,
    `DO $$
    DECLARE
      synced record;
    BEGIN
      FOR synced IN ${SYNCED_TABLES_WITH_CHANGE_SEQ} LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS written_rows
          FOR EACH STATEMENT EXECUTE FUNCTION notify_changes_available()', synced.table_name || '_inserted_notify', synced.table_name);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS written_rows
          FOR EACH STATEMENT EXECUTE FUNCTION notify_changes_available()', synced.table_name || '_updated_notify', synced.table_name);
      END LOOP;
    END $$`,
  ],
};
