// A file, mapping or database the import cannot work with: the command stops before (or
// without) writing, prints this one line and exits with code 2.
export class ImportInputError extends Error {
  override readonly name = 'ImportInputError';
}
