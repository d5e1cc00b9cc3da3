// Which team's outcomes a caller may report on. Supervisors see only the team they lead, admins
// every team. The team is read from users, not the token, so a reassignment applies at once.
import type { User } from '../../shared/contract/central-api';
import type { SqlClient } from '../db/sql-client';

/** team null: every team. */
export type TeamScope = { team: string | null } | { refused: string };

export async function resolveTeamScope(db: SqlClient, caller: User, requestedTeam: string | undefined): Promise<TeamScope> {
  if (caller.role === 'admin') return { team: requestedTeam ?? null };
  if (caller.role !== 'supervisor') return { refused: `role '${caller.role}' may not read reports` };
  const [row] = await db.query<{ team: string | null }>('SELECT team FROM users WHERE id = $1', [caller.id]);
  const ownTeam = row?.team ?? null;
  if (ownTeam === null) return { refused: `supervisor '${caller.id}' leads no team; an admin must assign one first` };
  if (requestedTeam !== undefined && requestedTeam !== ownTeam)
    return { refused: `supervisor '${caller.id}' leads team '${ownTeam}' and may not see team '${requestedTeam}'` };
  return { team: ownTeam };
}
