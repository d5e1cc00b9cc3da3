// The linear model's design: a numeric column gives its (median-filled) value plus a missing
// indicator when training had blanks; a categorical gives one indicator per kept level, one for
// "other" and one for missing when training had blanks.
import type { FeatureMatrix } from '../dataset/feature-matrix';
import type { ColumnSpec, Preprocessing } from '../dataset/preprocessing';

export function termCount(spec: ColumnSpec): number {
  return spec.type === 'numeric' ? 1 + (spec.hasMissing ? 1 : 0) : spec.levels.length + 1 + (spec.hasMissing ? 1 : 0);
}

export interface DesignLayout {
  width: number;
  /** First design column of each feature column. */
  start: Int32Array;
}

export function designLayout(preprocessing: Preprocessing): DesignLayout {
  const start = new Int32Array(preprocessing.columns.length);
  let width = 0;
  preprocessing.columns.forEach((spec, j) => {
    start[j] = width;
    width += termCount(spec);
  });
  return { width, start };
}

/** Unstandardised design matrix, rows × layout.width, row-major. */
export function encodeDesign(features: FeatureMatrix, preprocessing: Preprocessing, layout: DesignLayout): Float64Array {
  const design = new Float64Array(features.rows * layout.width);
  const specs = preprocessing.columns;
  for (let i = 0; i < features.rows; i++) {
    const out = i * layout.width;
    for (let j = 0; j < features.width; j++) {
      const spec = specs[j] as ColumnSpec;
      const value = features.values[i * features.width + j] as number;
      const first = out + (layout.start[j] as number);
      const missing = Number.isNaN(value);
      if (spec.type === 'numeric') {
        design[first] = missing ? spec.median : value;
        if (spec.hasMissing && missing) design[first + 1] = 1;
      } else if (!missing) {
        design[first + Math.min(value, spec.levels.length)] = 1;
      } else if (spec.hasMissing) {
        design[first + spec.levels.length + 1] = 1;
      }
    }
  }
  return design;
}
