// npm run bench -- <name> [options]: runs one benchmark, never part of npm test.
import { runFormatsBench } from './formats.js';
import { runPipelineBench } from './pipeline.js';

const BENCHMARKS: Record<string, (argv: readonly string[]) => void | Promise<void>> = {
  pipeline: runPipelineBench,
  formats: runFormatsBench,
  'status-cache': async (argv) => (await import('./status-cache.js')).runStatusCacheBench(argv),
  sync: async (argv) => (await import('./sync.js')).runSyncBench(argv),
  ui: async (argv) => (await import('./ui.js')).runUiBench(argv),
  hub: async (argv) => (await import('./hub.js')).runHubBench(argv),
  camera: async (argv) => (await import('./camera.js')).runCameraBench(argv),
};

const [name, ...rest] = process.argv.slice(2);
const bench = name === undefined ? undefined : BENCHMARKS[name];
if (bench === undefined) {
  console.error(`Usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [options]`);
  process.exitCode = 64;
} else {
  try {
    await bench(rest);
  } catch (error) {
    console.error(`bench ${name}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
