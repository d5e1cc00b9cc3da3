import type { Migration } from './migration';

// The retention report reads, for each warned customer nobody contacted, the champion's latest
// prediction kept on or before the period's start (server/reports/retention-report.ts). The primary
// key leads with role, model and day, and a planner without statistics on the table (PGlite runs no
// autovacuum, so it never has any) walked it once per customer: 3.5 s of CPU on a 20,000-customer
// demo book. This index answers each customer with one backward step. Only the champion's rows:
// shadow predictions never reached a card, so nothing asks who was warned by them.
export const migration0025ChampionPredictionsByCustomer: Migration = {
  version: 25,
  name: "the champion's kept predictions by customer and day",
  statements: [`CREATE INDEX model_predictions_champion_by_customer ON model_predictions (customer_id, scored_on) WHERE role = 'champion'`],
};
