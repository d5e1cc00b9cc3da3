// The desks' latest health reports, held in memory and summed up per team for GET /metrics.
// A desk counts while its last report is younger than two of its intervals, so a desk that went
// quiet (closed, crashed, offline) drops out instead of freezing the figures. Reports are keyed
// by the signed-in user, which never leaves this module: the metrics carry the team only.
import type { DeskHealthReport } from '../../shared/contract/desk-health';

/** The team label of staff without a team (admins, unassigned users). */
export const NO_TEAM = 'none';
const INTERVALS_KEPT = 2;

export interface TeamDeskHealth {
  team: string;
  desks: number;
  outboxPending: number;
  outboxDead: number;
  /** The most behind desk's seconds since its last download, aged to now; null when no desk has downloaded yet. */
  syncLagSeconds: number | null;
  /** The slowest desk's screen-pop p95; null when no desk opened a card. */
  screenPopP95Seconds: number | null;
}

export interface DeskHealthBoard {
  record(userId: string, team: string | null, report: DeskHealthReport): void;
  /** The teams with a desk reporting in its last two intervals. */
  byTeam(): TeamDeskHealth[];
}

interface Received {
  team: string;
  report: DeskHealthReport;
  atMs: number;
}

const maxOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

export function createDeskHealthBoard(nowMs: () => number = Date.now): DeskHealthBoard {
  const latest = new Map<string, Received>();
  return {
    record(userId, team, report) {
      latest.set(userId, { team: team ?? NO_TEAM, report, atMs: nowMs() });
    },
    byTeam() {
      const now = nowMs();
      const teams = new Map<string, TeamDeskHealth>();
      for (const [userId, { team, report, atMs }] of latest) {
        const ageSeconds = Math.max(0, (now - atMs) / 1000);
        if (ageSeconds > INTERVALS_KEPT * report.intervalSeconds) {
          latest.delete(userId);
          continue;
        }
        const sum = teams.get(team) ?? { team, desks: 0, outboxPending: 0, outboxDead: 0, syncLagSeconds: null, screenPopP95Seconds: null };
        sum.desks += 1;
        sum.outboxPending += report.outboxPending;
        sum.outboxDead += report.outboxDead;
        sum.syncLagSeconds = maxOf(sum.syncLagSeconds, report.syncLagSeconds === null ? null : report.syncLagSeconds + ageSeconds);
        sum.screenPopP95Seconds = maxOf(sum.screenPopP95Seconds, report.screenPopP95Seconds);
        teams.set(team, sum);
      }
      return [...teams.values()];
    },
  };
}
