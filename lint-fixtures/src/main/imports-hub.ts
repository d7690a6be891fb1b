// expect: crossLayer
// The sync client talks to the hub over the network; an integration test under test/ may import both.
import { server } from '../hub/ingest.js';

export const hub = server;
