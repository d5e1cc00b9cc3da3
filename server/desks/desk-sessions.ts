// Starting a session on a desk from a route: a revoked desk is answered 403 desk_revoked (the password
// was right, but this desk may not sign in), so the desk wipes its cache instead of asking again.
import type { FastifyReply } from 'fastify';
import { DESK_REVOKED_ERROR } from '../../shared/contract/desks';
import { apiError } from '../http/api-error';
import { DeskRevokedError } from './desk-registry';

export async function startOnDesk<T>(reply: FastifyReply, start: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await start();
  } catch (error) {
    if (!(error instanceof DeskRevokedError)) throw error;
    return reply.code(403).send(apiError(DESK_REVOKED_ERROR, error.message));
  }
}
