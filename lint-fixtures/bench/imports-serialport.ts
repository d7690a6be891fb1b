// expect: hardwareNative
import { SerialPort } from 'serialport';

export const list = SerialPort.list;
