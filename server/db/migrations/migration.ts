export interface Migration {
  /** Strictly increasing; never renumber or edit a released migration, add a new one. */
  version: number;
  name: string;
  /** Run one by one (PGlite's extended protocol takes one statement per query). */
  statements: readonly string[];
}
