// expect: crossLayer
export { server } from '../hub/ingest.js';
