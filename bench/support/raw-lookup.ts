// The baseline every lookup is compared with: better-sqlite3's prepared point lookup by phone on
// the desk cache's own unique phone index, nothing else.
export const RAW_LOOKUP_SQL = 'SELECT data FROM customers WHERE phone = ?';
