// Errors from the store carry a code and a sentence a technician can act on.
export type StoreErrorCode = 'database_from_future' | 'migration_failed';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}
