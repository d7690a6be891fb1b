// expect: clean
export type SubjectId = `VN-ID:${string}`;
export const KIND = 'pc1';
