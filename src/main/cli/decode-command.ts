// pccovid-kiosk decode: one payload through the decode stage only, the credential as JSON on
// stdout (what the code says, not whether it is true: nothing is verified or looked up).
// Exits 0 when a decoder read it, 3 when none could.
import type { Credential } from '../../common/types/credential.js';
import { reasonMessage, type Reason } from '../../common/types/reasons.js';
import { decodeScan } from '../pipeline/decode.js';
import { createDecoderRegistry } from '../pipeline/decoders/registry.js';
import { EXIT, type CliIo } from './output.js';
import { readPayloadArgument } from './verify-command.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/** CWT times are seconds; a value no Date can hold is shown as the number it is. */
function cwtTime(seconds: number): string | number {
  const ms = seconds * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : seconds;
}

export function credentialJson(credential: Credential): Record<string, unknown> {
  const common = { readable: true, kind: credential.kind, subjectIds: credential.subjectIds, holder: credential.holder };
  switch (credential.kind) {
    case 'pc1':
    case 'dcc': {
      const signed = {
        issuer: credential.issuer,
        issuedAt: cwtTime(credential.issuedAt),
        expiresAt: cwtTime(credential.expiresAt),
        signature: { alg: credential.signature.alg, kid: hex(credential.signature.kid) },
      };
      const claims =
        credential.kind === 'pc1'
          ? { statusAtIssue: credential.statusAtIssue, vaccination: credential.vaccination }
          : { certificateType: credential.certificateType, payload: credential.payload };
      return { ...common, ...signed, claims };
    }
    case 'pccovid-v1':
    case 'health-declaration':
    case 'cccd':
    case 'mrz':
      return { ...common, identity: credential.identity, signature: null };
    default: {
      const unreachable: never = credential;
      return unreachable;
    }
  }
}

export function unreadableJson(reason: Reason): Record<string, unknown> {
  return {
    readable: false,
    reason: {
      code: reason.code,
      message: reasonMessage(reason.code, 'en'),
      messageVi: reasonMessage(reason.code, 'vi'),
      ...(reason.detail === undefined ? {} : { detail: reason.detail }),
    },
  };
}

/** JSON for what CBOR may hold inside a DCC payload: big integers, byte strings, maps. */
function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return hex(value);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), v as unknown]));
  return value;
}

export function runDecode(payloadArgument: string, io: CliIo, now: () => number = Date.now): number {
  const payload = readPayloadArgument(payloadArgument);
  const decoded = decodeScan({ source: 'cli', symbology: 'unknown', text: payload, receivedAt: now() }, createDecoderRegistry({ now }));
  if (!decoded.ok) {
    io.out(JSON.stringify(unreadableJson(decoded.reason), null, 2));
    return EXIT.unreadable;
  }
  io.out(JSON.stringify(credentialJson(decoded.value), jsonValue, 2));
  return 0;
}
