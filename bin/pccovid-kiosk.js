#!/usr/bin/env node
// The pccovid-kiosk command. The sources are TypeScript; `npm install` builds dist/ (prepare).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('pccovid-kiosk is not built yet: run "npm run build" in its folder.\n');
  process.exit(70);
}
const { runCli } = await import(cli);
process.exitCode = await runCli(process.argv.slice(2));
