// Fills an empty database with the demo book. Each part (users, customers + scores) is
// seeded only when its table is empty, and customers go in one transaction so a crash mid-seed
// leaves the table empty and the next start seeds again.
import type { SqlClient } from '../db/sql-client';
import { insertUsers } from '../auth/users';
import { upsertCustomers, upsertScores } from '../sync/change-log';
import { DEFAULT_LIFECYCLE_CONFIG } from '../../shared/analytics/lifecycle/lifecycle-config';
import { scoreBookInMemory } from '../../shared/analytics/score-book';
import { DEFAULT_VALUE_CONFIG } from '../../shared/analytics/value/value-config';
import type { Customer } from '../../shared/contract/entities';
import { bookTrainingRows, trainBookChurnModelOn } from '../scoring/book-churn-model';
import { publishScoringBundle } from '../scoring/scoring-bundle-store';
import { registerModel } from '../models/model-registry';
import { activeCustomersInBins } from '../models/book-distributions';
import { storeBookDrift } from '../models/book-drift';
import { summariseTraining } from '../../shared/analytics/monitoring/training-summary';
import { DEMO_BOOK_SIZE, DEMO_SEED, demoCustomerLife } from './demo-customers';
import { DEMO_USERS } from './demo-users';
import { seedKeptScores } from './demo-kept-scores';

/** Rows per INSERT ... SELECT FROM jsonb_array_elements: one statement per chunk keeps seeding fast. */
const CHUNK_SIZE = 2000;
const MIN_TRAINING_BOOK = 5000;

export interface SeedOptions {
  customers?: number;
  seed?: number;
  /** The scoring date (default: today). */
  now?: Date;
}

/** The offers are not seeded: the server publishes its catalogue on every start (server/catalog). */
export interface SeedReport {
  users: number;
  customers: number;
}

async function isEmpty(db: SqlClient, table: 'users' | 'customers'): Promise<boolean> {
  const rows = await db.query(`SELECT 1 FROM ${table} LIMIT 1`);
  return rows.length === 0;
}

export async function countCustomers(db: SqlClient): Promise<number> {
  const [row] = await db.query<{ count: number }>('SELECT count(*) AS count FROM customers WHERE NOT deleted');
  return row?.count ?? 0;
}

export async function seedDemoData(db: SqlClient, options: SeedOptions = {}): Promise<SeedReport> {
  const customerCount = options.customers ?? DEMO_BOOK_SIZE;
  const seed = options.seed ?? DEMO_SEED;
  const report: SeedReport = { users: 0, customers: 0 };

  if (await isEmpty(db, 'users')) {
    await insertUsers(db, DEMO_USERS);
    report.users = DEMO_USERS.length;
  }
  if (customerCount > 0 && (await isEmpty(db, 'customers'))) {
    const lives = Array.from({ length: customerCount }, (_, i) => demoCustomerLife(i, seed));
    const customers: Customer[] = lives.map((life) => life.customer);
    // Scores come from a churn model trained on the book itself, scored as of today.
    const now = options.now ?? new Date();
    // A small demo book has too few leavers to learn from: it learns from the first
    // MIN_TRAINING_BOOK customers of the same deterministic book, of which it is a prefix. Their
    // complaints and faults month by month go with them, so each as-of month's counts are its own.
    const history = customers.length >= MIN_TRAINING_BOOK ? lives : Array.from({ length: MIN_TRAINING_BOOK }, (_, i) => demoCustomerLife(i, seed));
    const trainingRows = bookTrainingRows(history, now);
    const model = trainBookChurnModelOn(trainingRows, now);
    const settings = { model, lifecycle: DEFAULT_LIFECYCLE_CONFIG, value: DEFAULT_VALUE_CONFIG };
    const { scores, calibration } = scoreBookInMemory(customers, settings, now);
    await db.transaction(async (tx) => {
      for (let start = 0; start < customerCount; start += CHUNK_SIZE) {
        await upsertCustomers(tx, customers.slice(start, start + CHUNK_SIZE));
        await upsertScores(tx, scores.slice(start, start + CHUNK_SIZE));
      }
      // Desks re-score with what scored the book (GET /scoring/bundle).
      await publishScoringBundle(tx, { ...settings, calibration }, now);
      // The model registry starts with it as champion, its training data the baseline drift is measured against.
      const summary = summariseTraining(model, trainingRows, 'training_data');
      await registerModel(tx, { artifact: model, summary, by: 'seed', now, status: 'champion' });
      // Its drift from the book it scored, as `clm score` measures it, so the models report has figures from the start.
      await storeBookDrift(tx, model.modelId, summary.distributions, activeCustomersInBins(summary.distributions, customers, now), now);
      // A small test book has too few leavers a month to measure a model on: only the demo book keeps past scores.
      if (customers.length >= MIN_TRAINING_BOOK) await seedKeptScores(tx, model, lives, now);
    });
    report.customers = customerCount;
  }
  return report;
}
