#!/usr/bin/env node
// The pccovid-hub command (the authority's publisher). The sources are TypeScript; `npm install`
// builds dist/ (prepare).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'hub-cli.js');
if (!existsSync(cli)) {
  process.stderr.write('pccovid-hub is not built yet: run "npm run build" in its folder.\n');
  process.exit(70);
}
const { runHubCli } = await import(cli);
process.exitCode = await runHubCli(process.argv.slice(2));
