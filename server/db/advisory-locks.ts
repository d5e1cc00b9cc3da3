// Transaction-scoped advisory lock keys (pg_advisory_xact_lock). Constants, inlined into SQL.
export const MIGRATION_LOCK = 7_310_001;
/**
 * The whole change log, for its cold-path writers (imports, catalogue publication, scope refreshes,
 * erasures), which take it exclusively; writers of single customers take it shared (lockChangeLogKeys).
 * It no longer orders change seqs: commit-order.ts does, without making writers wait.
 */
export const CHANGE_LOG_LOCK = 7_310_002;
/** The space (first int4 key) of the per-row locks a hot-path read-modify-write takes (lockChangeLogKeys). */
export const CHANGE_LOG_ROW_LOCKS = 7_310_004;
/** The space of the per-device lock an outcome upload takes, so a device's resends are checked one at a time. */
export const OUTCOME_DEVICE_LOCKS = 7_310_005;
/** One learner from stored outcomes at a time, across instances (server/outcomes/learning.ts). */
export const OUTCOME_LEARNING_LOCK = 7_310_007;

export const advisoryXactLockSql = (key: number) => `SELECT pg_advisory_xact_lock(${key})`;
export const advisoryXactLockSharedSql = (key: number) => `SELECT pg_advisory_xact_lock_shared(${key})`;

/**
 * Exclusive locks on the keys in $1 (a text array) within `space`, taken in hash order so two
 * transactions locking overlapping keys cannot deadlock. Keys are hashed to int4: a collision only
 * makes two unrelated rows wait for each other.
 */
export const advisoryXactKeyLocksSql = (space: number) =>
  `SELECT pg_advisory_xact_lock(${space}, k) FROM (SELECT DISTINCT hashtext(key) AS k FROM unnest($1::text[]) AS key ORDER BY k) AS keys`;
