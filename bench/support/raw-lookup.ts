// The baseline every lookup is compared with: a prepared point lookup by phone on the desk
// cache's own unique phone index (the encrypted file, as the desk reads it), nothing else.
export const RAW_LOOKUP_SQL = 'SELECT data FROM customers WHERE phone = ?';
