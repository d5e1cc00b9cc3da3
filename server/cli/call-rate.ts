/** "2/s", "1/5s", "30/min" → milliseconds between call starts. */
export function parseRate(rate: string): number {
  const match = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)?(s|m|min)$/.exec(rate.trim());
  if (!match) throw new Error(`--rate must look like 1/s, 2/s, 1/5s or 30/min, got '${rate}'`);
  const calls = Number(match[1]);
  const period = Number(match[2] ?? 1) * (match[3] === 's' ? 1000 : 60_000);
  if (!(calls > 0) || !(period > 0)) throw new Error(`--rate must be positive, got '${rate}'`);
  return period / calls;
}
