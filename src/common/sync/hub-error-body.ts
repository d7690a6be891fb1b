// The hub answers every refusal as {"error": {"code", "message", "serverTime"?}} (checkin-wire.ts
// lists the sync codes; enrolment adds its own). Clients read it leniently: a proxy's HTML page or
// an unknown code must still give the person a sentence, never a crash.

export interface HubErrorBody {
  code: string;
  /** The hub's sentence, or null when it sent none. */
  message: string | null;
  /** The hub's clock (ms), sent with clock_skew. */
  serverTime: number | null;
}

/**
 * The error in a hub's answer body (its text, or JSON already parsed), or null if there is none.
 * Callers decode bytes themselves (src/common has no TextDecoder: it runs without DOM or Node types).
 */
export function readHubErrorBody(body: unknown): HubErrorBody | null {
  let json: unknown = body;
  if (typeof body === 'string') {
    try {
      json = JSON.parse(body);
    } catch {
      return null;
    }
  }
  if (typeof json !== 'object' || json === null) return null;
  const error = (json as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const { code, message, serverTime } = error as { code?: unknown; message?: unknown; serverTime?: unknown };
  if (typeof code !== 'string') return null;
  return {
    code,
    message: typeof message === 'string' ? message : null,
    serverTime: typeof serverTime === 'number' && Number.isFinite(serverTime) ? serverTime : null,
  };
}
