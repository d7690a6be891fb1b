// The hub for the sync benchmark, in its own process (so the kiosk and the hub each have a
// core): serves on 127.0.0.1, prints its address, and on SIGTERM prints the CPU time it used.
//   node --import tsx bench/sync-hub-process.ts <hubDataDir>
import { startHubServer } from '../src/hub/server.js';
import { openHubDataDir } from '../src/hub/store/hub-database.js';

const [dataDir] = process.argv.slice(2);
if (dataDir === undefined) throw new Error('usage: sync-hub-process <hubDataDir>');
const db = openHubDataDir(dataDir);
const hub = await startHubServer({ db });
const startCpu = process.cpuUsage();
console.log(JSON.stringify({ url: hub.url }));
process.once('SIGTERM', () => {
  const cpu = process.cpuUsage(startCpu);
  console.log(JSON.stringify({ cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
  void hub.close().then(() => {
    db.close();
    process.exit(0);
  });
});
