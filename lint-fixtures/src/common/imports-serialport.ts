// expect: hardwareNative
import { SerialPort } from 'serialport';

export const open = (path: string) => new SerialPort({ path, baudRate: 9600 });
