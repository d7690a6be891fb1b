// Core scan-to-verdict latency for PC1 passes: decode, verify (Ed25519), status, policy and
// verdict, as the kiosk runs them for each scan (the check-in write is measured by the sync
// benchmark); then the same through the scan session the kiosk core uses (duplicate window on,
// preset (a)). Target: p99 <= 1 ms on the reference machine (2 cores).
import { parseArgs } from 'node:util';
import { DEFAULT_VENUE_POLICY, greenOnlyPreset } from '../src/common/types/policy.js';
import { moduleLogger } from '../src/main/log.js';
import { pc1Decoder } from '../src/main/pipeline/decoders/pc1/pc1-decoder.js';
import { EMPTY_ALIAS_MAP } from '../src/main/pipeline/alias.js';
import { createPipeline } from '../src/main/pipeline/pipeline.js';
import { createScanSession } from '../src/main/pipeline/scan-session.js';
import { FIXED_NOW_MS, pipelineFixture, scanOf } from '../src/main/pipeline/test-fixtures.js';
import { EMPTY_STATUS_CACHE } from '../src/main/status/memory-status-cache.js';
import { printFigures, printTable, summarise } from './stats.js';

export function runPipelineBench(argv: readonly string[]): void {
  const { values } = parseArgs({ args: [...argv], options: { scans: { type: 'string', default: '10000' } } });
  const scans = Number(values.scans);
  if (!Number.isInteger(scans) || scans < 1000) throw new Error('--scans must be an integer of at least 1000');

  const fixture = pipelineFixture();
  const pipeline = createPipeline({
    decoders: [pc1Decoder],
    trust: fixture.trust,
    status: EMPTY_STATUS_CACHE,
    aliases: EMPTY_ALIAS_MAP,
    policy: DEFAULT_VENUE_POLICY,
    now: () => FIXED_NOW_MS,
    logger: moduleLogger('bench'),
  });
  // Distinct people and statuses, as a queue at a door would bring; issued before timing.
  const statuses = ['green', 'green', 'green', 'yellow', 'red'] as const;
  const passes = Array.from({ length: scans }, (_, i) =>
    scanOf(
      fixture.pass({
        subjectId: `VN-ID:0791900${String(i).padStart(5, '0')}`,
        status: statuses[i % statuses.length] ?? 'green',
        name: i % 2 === 0 ? 'Trần Thị Bích Ngọc' : 'Nguyễn Văn An',
      }),
    ),
  );
  for (let i = 0; i < Math.min(2000, scans); i++) pipeline.check(passes[i] ?? scanOf(''));

  const micros = new Float64Array(scans);
  const outcomes = { admit: 0, deny: 0, review: 0 };
  const started = process.hrtime.bigint();
  for (let i = 0; i < scans; i++) {
    const scan = passes[i] ?? scanOf('');
    const t0 = process.hrtime.bigint();
    const verdict = pipeline.check(scan);
    micros[i] = Number(process.hrtime.bigint() - t0) / 1000;
    outcomes[verdict.outcome]++;
  }
  const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (outcomes.admit === 0 || outcomes.deny === 0 || outcomes.review === 0) {
    throw new Error(`benchmark passes did not produce every outcome: ${JSON.stringify(outcomes)}`);
  }
  const s = summarise(micros);

  // The same scans through the scan session (pseudonym, duplicate window, commit), as submitScan
  // runs them minus the database write; every pass is new to it, so none is a repeat.
  const session = createScanSession({
    decoders: [pc1Decoder],
    trust: fixture.trust,
    status: EMPTY_STATUS_CACHE,
    aliases: EMPTY_ALIAS_MAP,
    policy: greenOnlyPreset(),
    now: () => FIXED_NOW_MS,
    logger: moduleLogger('bench'),
  });
  const sessionMicros = new Float64Array(scans);
  for (let i = 0; i < scans; i++) {
    const scan = passes[i] ?? scanOf('');
    const t0 = process.hrtime.bigint();
    const decision = session.decide(scan);
    if (decision.kind === 'new') decision.commit(String(i));
    sessionMicros[i] = Number(process.hrtime.bigint() - t0) / 1000;
    if (decision.kind === 'repeat') throw new Error('a distinct pass was taken for a repeat');
  }
  const t = summarise(sessionMicros);
  console.log(`PC1 scan-to-verdict, ${scans} scans (${outcomes.admit} admit, ${outcomes.review} review, ${outcomes.deny} deny)`);
  printTable([
    ['stage', 'p50 µs', 'p99 µs', 'max µs', 'mean µs'],
    ['pipeline', s.p50, s.p99, s.max, s.mean],
    ['+ session', t.p50, t.p99, t.max, t.mean],
  ]);
  console.log(`target p99 <= 1000 µs: ${Math.max(s.p99, t.p99) <= 1000 ? 'met' : 'NOT met'}`);
  printFigures({
    bench: 'pipeline',
    format: 'pc1',
    scans,
    p50_us: Number(s.p50.toFixed(1)),
    p99_us: Number(s.p99.toFixed(1)),
    max_us: Number(s.max.toFixed(1)),
    session_p50_us: Number(t.p50.toFixed(1)),
    session_p99_us: Number(t.p99.toFixed(1)),
    throughput_scans_per_s: Math.round(scans / elapsedSeconds),
  });
}
