// The desk's native SQLite module, named for the shells that build and ship it (electron/ may not
// reach into db/ itself).
export { SQLITE_MODULE } from '../../db/cache/cache-cipher';
