import { describe, expect, it } from 'vitest';
import { parseSerialSpec, SerialSpecError, serialFlagsFor, serialFlagsInArgv, serialPortsFrom } from './hardware-options.js';

describe('serial port options', () => {
  it('reads a path with an optional baud rate', () => {
    expect(parseSerialSpec('/dev/ttyACM0')).toEqual({ path: '/dev/ttyACM0', baudRate: 9600, framing: 'auto' });
    expect(parseSerialSpec(' /dev/ttyUSB0@115200 ')).toEqual({ path: '/dev/ttyUSB0', baudRate: 115200, framing: 'auto' });
  });

  it('refuses what it cannot use, with what to write instead', () => {
    expect(() => parseSerialSpec('')).toThrow(SerialSpecError);
    expect(() => parseSerialSpec('/dev/ttyUSB0@fast')).toThrow(/whole number such as 9600/);
  });

  it('takes --serial flags over PCCOVID_SERIAL', () => {
    const env = { PCCOVID_SERIAL: '/dev/a, /dev/b@19200' };
    expect(serialPortsFrom([], env).map((port) => port.path)).toEqual(['/dev/a', '/dev/b']);
    expect(serialPortsFrom(['/dev/c'], env).map((port) => port.path)).toEqual(['/dev/c']);
    expect(serialPortsFrom([], {})).toEqual([]);
  });

  it('finds --serial among Electron switches and hands ports on as flags', () => {
    expect(serialFlagsInArgv(['electron', '.', '--data-dir', 'D', '--serial', '/dev/x', '--serial=/dev/y@19200', '--serial', '--dev'])).toEqual([
      '/dev/x',
      '/dev/y@19200',
    ]);
    expect(serialFlagsFor(serialPortsFrom(['/dev/x', '/dev/y@19200']))).toEqual(['--serial', '/dev/x', '--serial', '/dev/y@19200']);
  });
});
