// Entry of `npm run sim -- <device>` (run from source with tsx, like the benchmarks).
import { processIo } from './output.js';
import { runSimCli } from './sim-command.js';

process.exitCode = await runSimCli(process.argv.slice(2), processIo);
