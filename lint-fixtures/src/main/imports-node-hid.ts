// expect: hardwareNative
import HID from 'node-hid';

export const devices = HID.devices;
