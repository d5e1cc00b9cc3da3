// Dense symmetric positive-definite solve for the Newton steps (matrices of a few hundred rows).

/** Solves A·x = b for symmetric positive-definite A (n×n, row-major) by Cholesky; A and b are not modified. */
export function solveSymmetricPositiveDefinite(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const lower = new Float64Array(n * n);
  // A tiny ridge rescues a Hessian that is only semi-definite in floating point.
  let trace = 0;
  for (let i = 0; i < n; i++) trace += a[i * n + i] as number;
  for (let ridge = 0; ; ridge = ridge === 0 ? 1e-12 * (trace / n || 1) : ridge * 100) {
    if (tryCholesky(a, n, ridge, lower)) break;
    if (ridge > 1e6 * (trace || 1)) throw new RangeError('matrix is not positive definite');
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (lower[i * n + k] as number) * (y[k] as number);
    y[i] = sum / (lower[i * n + i] as number);
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let k = i + 1; k < n; k++) sum -= (lower[k * n + i] as number) * (x[k] as number);
    x[i] = sum / (lower[i * n + i] as number);
  }
  return x;
}

function tryCholesky(a: Float64Array, n: number, ridge: number, lower: Float64Array): boolean {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = (a[i * n + j] as number) + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) sum -= (lower[i * n + k] as number) * (lower[j * n + k] as number);
      if (i === j) {
        if (!(sum > 0)) return false;
        lower[i * n + i] = Math.sqrt(sum);
      } else {
        lower[i * n + j] = sum / (lower[j * n + j] as number);
      }
    }
  }
  return true;
}
