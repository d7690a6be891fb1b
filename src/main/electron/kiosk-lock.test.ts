import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { blockKioskShortcuts, isBlockedKioskShortcut, runSingleInstance, type KeyEventSource, type KeyInput } from './kiosk-lock.js';

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({ type: 'keyDown', key: k, control: false, meta: false, alt: false, shift: false, ...mods });

describe('single instance', () => {
  it('starts the first instance and quits a second without starting it', () => {
    const calls: string[] = [];
    const app = (locked: boolean) => ({ requestSingleInstanceLock: () => locked, quit: () => void calls.push('quit') });
    expect(runSingleInstance(app(true), () => void calls.push('start'))).toBe(true);
    expect(runSingleInstance(app(false), () => void calls.push('start again'))).toBe(false);
    expect(calls).toEqual(['start', 'quit']);
  });
});

describe('kiosk shortcuts', () => {
  it('stops reload, devtools, close, quit, zoom and full screen; lets a scanner type', () => {
    for (const blocked of [key('F5'), key('F11'), key('F12'), key('r', { control: true }), key('R', { control: true, shift: true }), key('I', { control: true, shift: true }), key('w', { control: true }), key('q', { meta: true }), key('F4', { alt: true }), key('ArrowLeft', { alt: true }), key('+', { control: true })]) {
      expect(isBlockedKioskShortcut(blocked), JSON.stringify(blocked)).toBe(true);
    }
    for (const typed of [key('H'), key('C'), key('1'), key(':'), key('Enter'), key('Tab'), key('r'), key('ArrowLeft'), { ...key('F5'), type: 'keyUp' }]) {
      expect(isBlockedKioskShortcut(typed), JSON.stringify(typed)).toBe(false);
    }
  });

  it('prevents the blocked ones on the window and reports them', () => {
    const contents = new EventEmitter();
    const blocked: string[] = [];
    blockKioskShortcuts(contents as unknown as KeyEventSource, (input) => blocked.push(input.key));
    const press = (input: KeyInput): boolean => {
      let prevented = false;
      contents.emit('before-input-event', { preventDefault: () => (prevented = true) }, input);
      return prevented;
    };
    expect(press(key('r', { control: true }))).toBe(true);
    expect(press(key('P'))).toBe(false);
    expect(blocked).toEqual(['r']);
  });
});
