import type { Migration } from './migration';

export const migration0013ProgrammeAssignments: Migration = {
  version: 13,
  name: 'Retention programme control-group assignments',
  statements: [
    // Append-only: a customer's first assignment to a programme, never updated (inserted ON CONFLICT DO
    // NOTHING), so the time first assigned and the group drawn then stay the evidence the report reads.
    // exempt_by: the ethical limit the customer met when assigned (either group), which keeps them out of
    // the comparison: a control customer with it was never held out.
    `CREATE TABLE programme_assignments (
      programme_id  text NOT NULL,
      customer_id   text NOT NULL,
      arm           text NOT NULL CHECK (arm IN ('treated', 'control')),
      exempt_by     text,
      control_share double precision NOT NULL,
      assigned_at   timestamptz NOT NULL,
      PRIMARY KEY (programme_id, customer_id)
    )`,
    'CREATE INDEX programme_assignments_customer ON programme_assignments (customer_id)',
  ],
};
