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

/** The error in a hub's answer body (bytes, text, or JSON already parsed), or null if there is none. */
export function readHubErrorBody(body: Uint8Array | string | unknown): HubErrorBody | null {
  let json: unknown = body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    try {
      json = JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body));
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
