// A person as the directory describes them, whichever directory it was.
export interface DirectoryPerson {
  /** Stable link to the account: 'ldap:<DN>' or 'oidc:<issuer>#<sub>'. */
  directoryId: string;
  username: string;
  displayName: string;
  groups: string[];
}

/** The directory did not answer (down, misconfigured service account): not the person's fault. */
export class DirectoryUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DirectoryUnavailableError';
  }
}
