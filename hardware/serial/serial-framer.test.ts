import { describe, expect, it } from 'vitest';
import { concatBytes, decodeUtf8, encodeUtf8 } from '../bytes.js';
import {
  createSerialFramer,
  encodeAccessIsFrame,
  encodeRte3mFrame,
  encodeSerialFrame,
  ETX,
  type FramerEvent,
  type SerialFraming,
  SOH,
  STX,
} from './serial-framer.js';
import { mrzLines, rawScanFromFrame } from './serial-scan.js';

// ICAO 9303 specimen passport (TD3) and identity card (TD1) MRZ.
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];
const VIETNAMESE = '079190012345|025123456|Nguyễn Thị Ánh Tuyết|15081990|Nữ';

type Frame = { frame: string; text: string };

function run(framing: SerialFraming, chunks: readonly Uint8Array[]): { frames: Frame[]; rejected: string[] } {
  const framer = createSerialFramer(framing);
  const events: FramerEvent[] = chunks.flatMap((chunk) => framer.push(chunk));
  return {
    frames: events.flatMap((event) => (event.kind === 'frame' ? [{ frame: event.frame, text: rawScanFromFrame(event.frame, event.payload).text }] : [])),
    rejected: events.flatMap((event) => (event.kind === 'rejected' ? [event.error.code] : [])),
  };
}

/** Every way of cutting the stream in two, and byte by byte. */
function everySplit(bytes: Uint8Array): Uint8Array[][] {
  const splits: Uint8Array[][] = [];
  for (let cut = 0; cut <= bytes.length; cut++) splits.push([bytes.subarray(0, cut), bytes.subarray(cut)]);
  splits.push(Array.from(bytes, (byte) => Uint8Array.of(byte)));
  return splits;
}

/** Deterministic chunking (a small LCG), so a failure always reproduces. */
function randomChunks(bytes: Uint8Array, seed: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let state = seed;
  let offset = 0;
  while (offset < bytes.length) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const size = 1 + (state % 23);
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

describe('serial framing: CR/LF', () => {
  it('ends a scan at CR, LF or CR LF and ignores empty lines', () => {
    const stream = encodeUtf8('PC1:AAA\rPC1:BBB\nPC1:CCC\r\n\r\n\nPC1:DDD\r\n');
    expect(run('crlf', [stream]).frames.map((frame) => frame.text)).toEqual(['PC1:AAA', 'PC1:BBB', 'PC1:CCC', 'PC1:DDD']);
  });

  it('finds the same frames however the bytes are split', () => {
    const stream = concatBytes([encodeSerialFrame('crlf', VIETNAMESE), encodeSerialFrame('crlf', ']Q1PC1:XYZ')]);
    for (const chunks of everySplit(stream)) {
      expect(run('crlf', chunks).frames.map((frame) => frame.text)).toEqual([VIETNAMESE, 'PC1:XYZ']);
    }
  });

  it('holds back a frame until its terminator arrives', () => {
    const framer = createSerialFramer('crlf');
    expect(framer.push(encodeUtf8('PC1:HALF'))).toEqual([]);
    expect(framer.push(encodeUtf8('WAY\r'))).toHaveLength(1);
  });
});

describe('serial framing: STX/ETX', () => {
  it('takes what is between STX and ETX, with CR/LF inside as data and after ETX as noise', () => {
    const stream = concatBytes([encodeSerialFrame('stx-etx', 'line one\r\nline two'), encodeUtf8('\r\n'), encodeSerialFrame('stx-etx', 'PC1:B')]);
    for (const chunks of everySplit(stream)) {
      const result = run('stx-etx', chunks);
      expect(result.frames.map((frame) => frame.text)).toEqual(['line one\r\nline two', 'PC1:B']);
      expect(result.rejected).toEqual([]);
    }
  });

  it('says so when the scanner sends bare lines to an STX/ETX port', () => {
    expect(run('stx-etx', [encodeUtf8('PC1:NOFRAME\r\n')])).toEqual({ frames: [], rejected: ['frame_malformed'] });
  });

  it('rejects a frame cut off by the next STX and keeps the next one', () => {
    const stream = Uint8Array.from([STX, ...encodeUtf8('lost'), STX, ...encodeUtf8('kept'), ETX]);
    expect(run('stx-etx', [stream])).toEqual({ frames: [{ frame: 'stx-etx', text: 'kept' }], rejected: ['frame_malformed'] });
  });
});

describe('serial framing: document readers', () => {
  it('reads a 3M frame of a passport MRZ, split anywhere, as two lines', () => {
    const frame = encodeRte3mFrame(TD3);
    for (const chunks of everySplit(frame)) {
      expect(run('mrz-3m', chunks)).toEqual({ frames: [{ frame: 'mrz-3m', text: TD3.join('\n') }], rejected: [] });
    }
  });

  it('reads a 3M frame of an identity card as three lines', () => {
    expect(run('mrz-3m', [encodeRte3mFrame(TD1)]).frames).toEqual([{ frame: 'mrz-3m', text: TD1.join('\n') }]);
  });

  it('checks the BCC of a 3M frame', () => {
    const frame = encodeRte3mFrame(TD3);
    const damaged = Uint8Array.from(frame);
    damaged[10] = (damaged[10] ?? 0) ^ 0x04; // one character changed on the wire
    expect(run('mrz-3m', [damaged])).toEqual({ frames: [], rejected: ['frame_checksum_invalid'] });
    const badCheck = Uint8Array.from(frame);
    badCheck[badCheck.length - 1] = (badCheck.at(-1) ?? 0) ^ 0xff;
    expect(run('mrz-3m', [badCheck]).rejected).toEqual(['frame_checksum_invalid']);
    // The next frame is read normally.
    expect(run('mrz-3m', [damaged, frame]).frames).toHaveLength(1);
  });

  it('reads header bytes by position, even when the length byte is ETX or SOH', () => {
    for (const lowByte of [ETX, SOH, STX]) {
      // Pad the MRZ so that the length word's low byte takes this value.
      let lines = ['X'];
      for (let tries = 0; tries < 256 && (encodeRte3mFrame(lines)[1] ?? 0) !== lowByte; tries++) lines = [`${lines[0] ?? ''}X`];
      expect(encodeRte3mFrame(lines)[1]).toBe(lowByte);
      expect(run('mrz-3m', [encodeRte3mFrame(lines)]).frames.map((frame) => frame.text)).toEqual([lines[0]]);
    }
  });

  it('reads an Access-IS OCR frame, split anywhere', () => {
    const frame = encodeAccessIsFrame(TD3);
    expect(Array.from(frame.subarray(0, 2))).toEqual([0x1c, 0x02]);
    expect(Array.from(frame.subarray(-2))).toEqual([0x03, 0x1d]);
    for (const chunks of everySplit(frame)) {
      expect(run('mrz-access-is', chunks).frames).toEqual([{ frame: 'mrz-access-is', text: TD3.join('\n') }]);
    }
  });

  it('rejects an Access-IS frame that lost its GS', () => {
    const frame = encodeAccessIsFrame(TD3);
    expect(run('mrz-access-is', [frame.subarray(0, -1), encodeAccessIsFrame(TD1)])).toEqual({
      frames: [{ frame: 'mrz-access-is', text: TD1.join('\n') }],
      rejected: ['frame_malformed'],
    });
  });

  it('keeps reader padding visible to the MRZ decoder but drops empty slots', () => {
    expect(mrzLines('\rP<UTO__\rL898__\r')).toBe('P<UTO__\nL898__');
  });
});

describe('serial framing: auto', () => {
  it('tells every kind of frame apart in one stream, whatever the chunking', () => {
    const stream = concatBytes([
      encodeSerialFrame('crlf', 'PC1:LINE'),
      encodeRte3mFrame(TD3),
      encodeSerialFrame('stx-etx', VIETNAMESE),
      Uint8Array.of(0x00, 0x0d, 0x0a),
      encodeAccessIsFrame(TD1),
      encodeSerialFrame('crlf', 'HC1:LAST', { terminator: 'LF' }),
    ]);
    const expected = [
      { frame: 'line', text: 'PC1:LINE' },
      { frame: 'mrz-3m', text: TD3.join('\n') },
      { frame: 'stx-etx', text: VIETNAMESE },
      { frame: 'mrz-access-is', text: TD1.join('\n') },
      { frame: 'line', text: 'HC1:LAST' },
    ];
    for (let seed = 1; seed <= 200; seed++) {
      expect(run('auto', randomChunks(stream, seed))).toEqual({ frames: expected, rejected: [] });
    }
  });
});

describe('serial framing: limits and resets', () => {
  it('rejects a frame past maxFrameBytes and reads the next one', () => {
    const framer = createSerialFramer('auto', { maxFrameBytes: 32 });
    const events = framer.push(concatBytes([encodeUtf8(`${'A'.repeat(100)}\r\n`), encodeSerialFrame('crlf', 'PC1:OK')]));
    expect(events.map((event) => (event.kind === 'frame' ? decodeUtf8(event.payload) : event.error.code))).toEqual(['frame_too_long', 'PC1:OK']);
  });

  it('bounds a 3M frame by its announced length too', () => {
    const framer = createSerialFramer('mrz-3m', { maxFrameBytes: 32 });
    const events = framer.push(concatBytes([encodeRte3mFrame(TD3), encodeRte3mFrame(['SHORT'])]));
    expect(events.map((event) => (event.kind === 'frame' ? 'frame' : event.error.code))).toEqual(['frame_too_long', 'frame']);
  });

  it('drops a frame in progress on reset (the device went away mid-frame)', () => {
    const framer = createSerialFramer('auto');
    framer.push(encodeUtf8('PC1:PARTIAL'));
    expect(framer.reset()).toBeGreaterThan(0);
    const events = framer.push(encodeSerialFrame('crlf', 'PC1:FRESH'));
    expect(events.map((event) => (event.kind === 'frame' ? decodeUtf8(event.payload) : event.error.code))).toEqual(['PC1:FRESH']);
    expect(framer.reset()).toBe(0);
  });

  it('refuses a nonsensical limit', () => {
    expect(() => createSerialFramer('auto', { maxFrameBytes: 0 })).toThrow(RangeError);
  });
});
