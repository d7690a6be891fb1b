// Errors of the hub's store carry a code and a sentence an operator can act on.
export type HubStoreErrorCode = 'database_from_future' | 'migration_failed' | 'device_key_invalid';

export class HubStoreError extends Error {
  constructor(
    readonly code: HubStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HubStoreError';
  }
}
