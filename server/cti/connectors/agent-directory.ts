// Which of our users a platform's agent is. Connectors know agents by the platform's id; the
// operator records it on the user as the external id `<connector>:<platform id>` (for example
// `genesys:5f2c…`), so one user table maps every platform and a disabled user stops ringing at once.
import type { SqlClient } from '../../db/sql-client';

/** How a platform names the agent: by its own id (mapped through external_id), or by our user id (the generic webhook). */
export type AgentRef = { externalId: string } | { userId: string };

export interface AgentDirectory {
  /** Our user id, or null for an unknown or disabled user. */
  resolve(agent: AgentRef): Promise<string | null>;
  /** The platform ids mapped for one connector (`genesys` → every `genesys:…` external id of an enabled user). */
  platformIds(connector: string): Promise<string[]>;
}

export const externalIdOf = (connector: string, platformId: string) => `${connector}:${platformId}`;

export function createAgentDirectory(db: SqlClient): AgentDirectory {
  return {
    async resolve(agent) {
      const [row] =
        'userId' in agent
          ? await db.query<{ id: string }>('SELECT id FROM users WHERE id = $1 AND disabled_at IS NULL', [agent.userId])
          : await db.query<{ id: string }>('SELECT id FROM users WHERE external_id = $1 AND disabled_at IS NULL', [agent.externalId]);
      return row?.id ?? null;
    },
    async platformIds(connector) {
      const prefix = externalIdOf(connector, '');
      const rows = await db.query<{ external_id: string }>(
        `SELECT external_id FROM users WHERE disabled_at IS NULL AND starts_with(external_id, $1) ORDER BY external_id`,
        [prefix],
      );
      return rows.map((row) => row.external_id.slice(prefix.length));
    },
  };
}
