// expect: hardwareNative, hardwareNative
// Not a driver file: it must depend on the driver's interface, not on serialport itself.
import { SerialPort } from 'serialport';
import { ReadlineParser } from '@serialport/parser-readline';

export const make = (path: string) => new SerialPort({ path, baudRate: 9600 }).pipe(new ReadlineParser());
