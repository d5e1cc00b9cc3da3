// A feature's distribution as the model saw it in training, kept small enough to store with the
// model version: numbers as counts in bins cut at the training deciles, categories as counts per
// level the model knows (the rest pooled as "other"); blanks have a bin of their own either way.
// Today's book is counted in the same bins, so the two can be compared (population-stability.ts).
import { z } from 'zod';
import type { ColumnSpec } from '../dataset/preprocessing';
import { columnIndex, isBlank, parseNumberCell, toCsvTable, type StringRows } from '../dataset/csv-table';

const Count = z.number().int().nonnegative();

export const NumericDistribution = z.object({
  feature: z.string().min(1),
  type: z.literal('numeric'),
  /** Ascending cut points: bin i holds values ≤ edges[i] (and above edges[i − 1]); the last bin the rest. */
  edges: z.array(z.number()),
  counts: z.array(Count),
  missing: Count,
});

export const CategoricalDistribution = z.object({
  feature: z.string().min(1),
  type: z.literal('categorical'),
  levels: z.array(z.string()),
  /** One count per level, then one for every other value. */
  counts: z.array(Count),
  missing: Count,
});

export const FeatureDistribution = z
  .discriminatedUnion('type', [NumericDistribution, CategoricalDistribution])
  .refine((d) => d.counts.length === (d.type === 'numeric' ? d.edges.length : d.levels.length) + 1, {
    message: 'counts must have one entry per bin (cut points or levels, plus one)',
  });
export type FeatureDistribution = z.infer<typeof FeatureDistribution>;

const QUANTILE_BINS = 10;

/** Distinct cut points at the training deciles (a feature with few values gets fewer bins). */
export function decileEdges(values: readonly number[]): number[] {
  if (values.length === 0) return [];
  const sorted = Float64Array.from(values).sort();
  const edges = new Set<number>();
  for (let k = 1; k < QUANTILE_BINS; k++) edges.add(sorted[Math.ceil((k * sorted.length) / QUANTILE_BINS) - 1] as number);
  // The top value needs no cut: everything above the last edge falls in the last bin.
  edges.delete(sorted[sorted.length - 1] as number);
  return [...edges].sort((a, b) => a - b);
}

function numericBin(edges: readonly number[], value: number): number {
  const bin = edges.findIndex((edge) => value <= edge);
  return bin < 0 ? edges.length : bin;
}

/** Counts `cells` in the bins of `shape` (its own counts are ignored). */
export function countInBins(shape: FeatureDistribution, cells: readonly (string | undefined)[]): FeatureDistribution {
  const counts = new Array<number>(shape.counts.length).fill(0);
  let missing = 0;
  for (const cell of cells) {
    if (shape.type === 'numeric') {
      const value = parseNumberCell(cell);
      if (Number.isNaN(value)) missing++;
      else counts[numericBin(shape.edges, value)]!++;
    } else if (isBlank(cell)) {
      missing++;
    } else {
      const level = shape.levels.indexOf((cell as string).trim());
      counts[level < 0 ? shape.levels.length : level]!++;
    }
  }
  return { ...shape, counts, missing };
}

function columnCells(rows: StringRows, feature: string): string[] {
  const table = toCsvTable(rows);
  const column = columnIndex(table, feature, 'model feature');
  return table.records.map((record) => record[column] as string);
}

/** Each model feature's distribution in a table (header first), binned as described above. */
export function featureDistributions(rows: StringRows, columns: readonly ColumnSpec[]): FeatureDistribution[] {
  return columns.map((spec) => {
    const cells = columnCells(rows, spec.name);
    if (spec.type === 'categorical') {
      return countInBins(
        { feature: spec.name, type: 'categorical', levels: spec.levels, counts: new Array(spec.levels.length + 1).fill(0), missing: 0 },
        cells,
      );
    }
    const edges = decileEdges(cells.map(parseNumberCell).filter((v) => !Number.isNaN(v)));
    return countInBins({ feature: spec.name, type: 'numeric', edges, counts: new Array(edges.length + 1).fill(0), missing: 0 }, cells);
  });
}
