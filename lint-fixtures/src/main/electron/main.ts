// expect: clean
import { app, BrowserWindow } from 'electron';
import path from 'node:path';
import { x } from '../x.js';

export const open = () => app.whenReady().then(() => new BrowserWindow({ width: x }).loadFile(path.join('a')));
