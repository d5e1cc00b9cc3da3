// Transaction-scoped advisory lock keys (pg_advisory_xact_lock). Constants, inlined into SQL.
export const MIGRATION_LOCK = 7_310_001;
/** Serializes writers of the synced tables so change seqs become visible in commit order. */
export const CHANGE_LOG_LOCK = 7_310_002;
/** Serializes outcome inserts so server_seq becomes visible in commit order (same reason). */
export const OUTCOME_LOG_LOCK = 7_310_003;

export const advisoryXactLockSql = (key: number) => `SELECT pg_advisory_xact_lock(${key})`;
