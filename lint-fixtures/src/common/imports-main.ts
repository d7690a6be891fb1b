// expect: crossLayer
export * from '../main/x.js';
