// L2-regularised logistic regression fitted by Newton's method with a backtracking line search:
// deterministic, converges in a handful of iterations on a few dozen columns, and stays finite
// on separable data because of the penalty. The intercept is not penalised.
import { solveSymmetricPositiveDefinite } from './linear-algebra';
import { sigmoid, softplus } from './sigmoid';

export interface NewtonOptions {
  /** Penalty λ in Σ wᵢ·lossᵢ + λ/2·‖β‖² (scikit-learn's C is 1/λ). */
  l2: number;
  maxIterations: number;
  tolerance: number;
}

export interface LogisticFit {
  intercept: number;
  coefficients: Float64Array;
  iterations: number;
  converged: boolean;
}

/** x is rows×width, row-major; weights null means every row weighs 1. */
export function fitLogisticRegression(
  x: Float64Array,
  rows: number,
  width: number,
  labels: Uint8Array,
  weights: Float64Array | null,
  options: NewtonOptions,
): LogisticFit {
  const size = width + 1;
  let theta = new Float64Array(size);
  const margins = new Float64Array(rows);

  const computeMargins = (params: Float64Array) => {
    for (let i = 0; i < rows; i++) {
      let m = params[0] as number;
      const base = i * width;
      for (let j = 0; j < width; j++) m += (params[j + 1] as number) * (x[base + j] as number);
      margins[i] = m;
    }
  };
  const objective = (params: Float64Array) => {
    computeMargins(params);
    let total = 0;
    for (let i = 0; i < rows; i++) {
      const m = margins[i] as number;
      total += (weights ? (weights[i] as number) : 1) * (softplus(m) - (labels[i] as number) * m);
    }
    for (let j = 1; j < size; j++) total += 0.5 * options.l2 * (params[j] as number) ** 2;
    return total;
  };

  // Column-major copy: the Hessian entries become dot products of contiguous columns.
  const columns = new Float64Array(rows * width);
  for (let i = 0; i < rows; i++) for (let j = 0; j < width; j++) columns[j * rows + i] = x[i * width + j] as number;
  const scaled = new Float64Array(rows * size);
  const residuals = new Float64Array(rows);

  let current = objective(theta);
  let iterations = 0;
  let converged = false;
  const gradient = new Float64Array(size);
  const hessian = new Float64Array(size * size);
  while (iterations < options.maxIterations && !converged) {
    iterations++;
    // margins already hold theta's: the last objective() evaluated the accepted parameters.
    // √(w·p(1−p)) scales the columns, so Hessian = Sᵀ·S (+ λ on the coefficients).
    for (let i = 0; i < rows; i++) {
      const w = weights ? (weights[i] as number) : 1;
      const p = sigmoid(margins[i] as number);
      residuals[i] = w * (p - (labels[i] as number));
      scaled[i] = Math.sqrt(w * p * (1 - p));
    }
    for (let j = 0; j < width; j++) {
      const from = j * rows;
      const to = (j + 1) * rows;
      for (let i = 0; i < rows; i++) scaled[to + i] = (scaled[i] as number) * (columns[from + i] as number);
    }
    for (let j = 0; j < size; j++) {
      let g = 0;
      if (j === 0) for (let i = 0; i < rows; i++) g += residuals[i] as number;
      else for (let i = 0, from = (j - 1) * rows; i < rows; i++) g += (residuals[i] as number) * (columns[from + i] as number);
      gradient[j] = g + (j > 0 ? options.l2 * (theta[j] as number) : 0);
      for (let k = 0; k <= j; k++) {
        let h = 0;
        for (let i = 0, a = j * rows, b = k * rows; i < rows; i++) h += (scaled[a + i] as number) * (scaled[b + i] as number);
        if (j === k && j > 0) h += options.l2;
        hessian[j * size + k] = h;
        hessian[k * size + j] = h;
      }
    }
    const step = solveSymmetricPositiveDefinite(hessian, gradient, size);
    let decrease = 0;
    for (let j = 0; j < size; j++) decrease += (gradient[j] as number) * (step[j] as number);
    // Backtrack until the objective falls enough (Armijo); Newton's full step is usually taken.
    let scale = 1;
    let candidate = theta;
    let value = current;
    for (let halvings = 0; halvings < 40; halvings++, scale /= 2) {
      candidate = theta.map((t, j) => t - scale * (step[j] as number));
      value = objective(candidate);
      if (value <= current - 1e-4 * scale * decrease) break;
    }
    let largestMove = 0;
    let largestParam = 0;
    for (let j = 0; j < size; j++) {
      largestMove = Math.max(largestMove, Math.abs(scale * (step[j] as number)));
      largestParam = Math.max(largestParam, Math.abs(candidate[j] as number));
    }
    if (value > current) break; // no descent possible: already at the optimum within rounding
    converged = largestMove <= options.tolerance * (1 + largestParam) || current - value <= options.tolerance * 1e-3 * Math.abs(current);
    theta = candidate;
    current = value;
  }
  return { intercept: theta[0] as number, coefficients: theta.subarray(1), iterations, converged };
}
