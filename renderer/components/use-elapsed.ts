import { useEffect, useState } from 'react';
import { useDesk } from '../state/store-context';

/** mm:ss (or h:mm:ss) since `since`, never negative (a clock a little behind the desk's shows 00:00). */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  const hours = Math.floor(total / 3600);
  const rest = `${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return hours > 0 ? `${hours}:${rest}` : rest;
}

/** The time since an ISO instant by the desk's clock, re-read every second while mounted. */
export function useElapsed(since: string | null): string | null {
  const clock = useDesk((s) => s.clock);
  const [, setTick] = useState(0);
  useEffect(() => {
    if (since === null) return;
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [since]);
  return since === null ? null : formatElapsed(clock().getTime() - Date.parse(since));
}
