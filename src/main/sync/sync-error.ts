// Errors of the sealed log and its upload carry a code and a sentence a technician can act on.
export type SyncErrorCode = 'device_key_unreadable' | 'sealing_key_unreadable' | 'hub_url_invalid';

export class SyncError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SyncError';
  }
}
