// The release key's signature of a downloaded kiosk package, fetched from the update server where
// it is published next to the package (`<package>.sig`, build/scripts/sign-update.mjs). The kiosk
// does not trust it: it only carries it to the root helper, which checks it against the release
// keys the installed package brought (build/linux/install-update).
import { UPDATE_SIGNATURE_BYTES, UpdateHandoffError } from './deb-update-handoff.js';

const FETCH_TIMEOUT_MS = 60_000;

/** The signature's address: the package's own (relative to the update server's base) + ".sig". */
export function signatureUrlFor(feedUrl: string, packageUrl: string): string {
  const base = feedUrl.endsWith('/') ? feedUrl : `${feedUrl}/`;
  const url = new URL(packageUrl, base);
  url.pathname = `${url.pathname}.sig`;
  return url.href;
}

export type FetchLike = (url: string, init: { signal: AbortSignal }) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

/** Downloads the signature; every failure is an UpdateHandoffError saying what to do. */
export async function fetchUpdateSignature(url: string, fetchImpl: FetchLike = fetch): Promise<Uint8Array> {
  let response: Awaited<ReturnType<FetchLike>>;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (error) {
    throw new UpdateHandoffError(`The update's signature could not be downloaded from ${url} (${error instanceof Error ? error.message : String(error)}); the kiosk tries again later.`, { cause: error });
  }
  if (response.status === 404) {
    throw new UpdateHandoffError(`The update server has no signature at ${url}: sign the package with build/scripts/sign-update.mjs and publish its .sig next to it.`);
  }
  if (!response.ok) throw new UpdateHandoffError(`The update server answered ${response.status} for the signature at ${url}; the kiosk tries again later.`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length !== UPDATE_SIGNATURE_BYTES) {
    throw new UpdateHandoffError(`The file at ${url} is ${bytes.length} bytes, not a ${UPDATE_SIGNATURE_BYTES}-byte signature made by build/scripts/sign-update.mjs.`);
  }
  return bytes;
}
