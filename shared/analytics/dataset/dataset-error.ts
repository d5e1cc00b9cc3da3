// One error type for every way a data file can be unusable, with the column and data row
// (1-based, header excluded) so the CLI and the UI can say exactly what to fix.
export type DatasetProblem = 'empty' | 'ragged_row' | 'missing_column' | 'missing_target' | 'positive_absent' | 'one_class' | 'not_a_number' | 'no_features';

export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  constructor(
    readonly problem: DatasetProblem,
    message: string,
    readonly column: string | null = null,
    readonly row: number | null = null,
  ) {
    super(message);
  }
}
