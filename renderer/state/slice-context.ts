// What the desk store hands each of its slices (zustand's slice pattern): the store's set, get and
// subscribe over the combined state, the desk client, the clock, and the one failure rule all
// slices share. The combined type is imported for its type only, so no slice imports the store.
import type { StoreApi } from 'zustand/vanilla';
import type { DeskFailure } from '../../shared/contract/desk-api';
import type { DeskClient } from '../transport/desk-client';
import type { DeskState } from './desk-store';

export interface SliceContext {
  client: DeskClient;
  set: StoreApi<DeskState>['setState'];
  get: StoreApi<DeskState>['getState'];
  subscribe: StoreApi<DeskState>['subscribe'];
  now: () => Date;
  /** Every failed desk call passes here: an expired session sends the agent back to the login form. */
  noteFailure(failure: DeskFailure): void;
}
