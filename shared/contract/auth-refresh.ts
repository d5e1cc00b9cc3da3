// Short-lived access tokens and their rotating refresh tokens (issue 7). Kept apart from
// central-api.ts so the login contract stays as released: LoginResponse.token is now the access
// token (minutes), and LoginResponse.expiresAt is when the SESSION ends (a shift): the desk can
// refresh the access token until then, never beyond it.
import { z } from 'zod';
import { LoginResponse, User } from './central-api';
import { IsoDateTime } from './entities';
import { ContactHours } from '../domain/contact-hours';

/** Opaque, random, single use: the server stores only its hash and refuses it once used. */
export const RefreshToken = z.string().min(32).max(256);

const tokenPair = {
  /** When `token` (the access token) stops being accepted; refresh before then. */
  accessExpiresAt: IsoDateTime,
  /** Present it once to POST /auth/refresh; the answer carries its successor. */
  refreshToken: RefreshToken,
};

// POST /auth/login answers this (a superset of LoginResponse, so older desks keep working until their token expires).
export const LoginWithRefreshResponse = LoginResponse.extend({
  ...tokenPair,
  /** When customers may be called (the operator's CLM_CONTACT_HOURS); absent from servers before it was sent. */
  contactHours: ContactHours.optional(),
});
export type LoginWithRefreshResponse = z.infer<typeof LoginWithRefreshResponse>;

// POST /auth/refresh   (no Authorization header: the refresh token is the credential)
export const RefreshRequest = z.object({ refreshToken: RefreshToken });
export type RefreshRequest = z.infer<typeof RefreshRequest>;

/** A new access token and a new refresh token; `expiresAt` (the session end) never moves. */
export const RefreshResponse = z.object({ token: z.string(), expiresAt: IsoDateTime, ...tokenPair, user: User });
export type RefreshResponse = z.infer<typeof RefreshResponse>;
