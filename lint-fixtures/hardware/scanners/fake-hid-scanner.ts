// expect: hardwareNative
// A fake speaks the device's protocol without the device: it never loads node-hid.
import HID from 'node-hid';

export const devices = HID.devices;
