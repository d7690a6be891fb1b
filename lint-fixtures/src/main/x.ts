// expect: clean
export const x = 1;
export type X = { readonly x: number };
