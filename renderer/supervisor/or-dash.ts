/** A metric that may not be measured yet: a dash until it is. */
export const orDash = (value: number | null, format: (n: number) => string) => (value === null ? '—' : format(value));
