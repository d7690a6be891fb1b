// Run by install-crash.test.ts as a separate process (bundled by esbuild, the status compaction
// worker's bundle beside it as in dist/): installs bundle files into a store in order, skipping
// ones already installed, and when told to, SIGKILLs itself at an exact progress event of one
// install, or of the compaction it started: the process dies with that work half done.
import { createPrivateKey } from 'node:crypto';
import { BundleError } from '../../src/main/bundles/bundle-error.js';
import { BundleStore } from '../../src/main/bundles/bundle-store.js';
import { ALREADY_INSTALLED, type ChildPlan } from './install-child-plan.js';

const plan = JSON.parse(process.env['PCCOVID_CHILD_PLAN'] ?? 'null') as ChildPlan;
const store = BundleStore.open({
  dir: plan.dir,
  rootKeys: plan.rootKeys.map((k) => ({ kid: Buffer.from(k.kid, 'hex'), publicKey: Buffer.from(k.publicKey, 'hex') })),
  deviceKey: createPrivateKey(plan.devicePem),
  compactAbove: plan.compactAbove,
});
const events: number[] = [];
for (const [index, path] of plan.bundles.entries()) {
  let event = 0;
  try {
    store.install(
      { path },
      {
        onProgress: () => {
          if (plan.killAt !== null && plan.killAt.bundle === index && plan.killAt.event === event) process.kill(process.pid, 'SIGKILL');
          event++;
        },
      },
    );
    // A compaction the install started runs in a worker thread and reports to the same listener.
    await store.whenCompacted();
    events.push(event);
  } catch (error) {
    if (!(error instanceof BundleError && error.code === 'rollback')) throw error;
    // The bundle to die in was installed by an earlier run, which died after its manifest.
    if (plan.killAt?.bundle === index) process.exit(ALREADY_INSTALLED);
    events.push(-1);
  }
}
process.stdout.write(JSON.stringify({ events }));
