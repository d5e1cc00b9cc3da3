// Kept predictions grouped by the month of their score date, the unit every realised figure on the
// models page is measured in, and whether a month's churn is final.

/** [month (YYYY-MM), its rows] for each month of scoredOn, oldest first. */
export function byScoreMonth<T extends { scoredOn: string }>(rows: readonly T[]): [string, T[]][] {
  const byMonth = new Map<string, T[]>();
  for (const row of rows) {
    const month = row.scoredOn.slice(0, 7);
    const monthRows = byMonth.get(month);
    if (monthRows === undefined) byMonth.set(month, [row]);
    else monthRows.push(row);
  }
  return [...byMonth.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Every prediction of the month is past its horizon (`lastClosedScoreDay`): the churn counted is final. */
export function windowClosed(rows: readonly { scoredOn: string }[], lastClosedScoreDay: string): boolean {
  return rows.every((r) => r.scoredOn <= lastClosedScoreDay);
}
