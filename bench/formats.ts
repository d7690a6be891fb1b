// Decode + verify per pass format, as the kiosk runs them (decoders/*, verify.ts): PC1 passes of
// the demo authority, EU DCCs of the committed dgc-testdata vectors (ES256 and PS256) at their
// clocks. Then the same DCC vectors head to head with @pathcheck/dcc-sdk, an open-source JS DCC
// verifier, in the same run. Targets: DCC p99 <= 2 ms, >= 10x the peer's throughput.
//
// The peer does not load on Node 20 as published (its `esm` loader cannot parse `?.`), so its
// ESM sources are bundled with esbuild into a temporary file, with its network fetch replaced by
// a stub that fails: given the vectors' certificates as its trust list, it never goes online.
//
// Like with like: the peer decodes and verifies the signature but has no schema step, so its
// payload goes through the kiosk's DCC schema validator inside the timed call; the kiosk's side
// also checks the signer certificate's key usage and validity and the DCC's dates (the peer does
// not), and parses its signer certificates once when the trust list is loaded (the peer re-reads
// the PEM on every call: its design). Each certificate is in both trust lists once. The two are
// timed in alternating blocks, so that a change of load on the machine hits both.
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { CLAIM_HCERT, HCERT_EU_DCC_V1, type JsonObject } from '../src/common/formats/dcc/dcc-claims.js';
import { decodeDcc } from '../src/main/pipeline/decoders/dcc/dcc-decoder.js';
import { validateDccPayload } from '../src/main/pipeline/decoders/dcc/dcc-schema.js';
import { loadDccVector, VALID_DCC_VECTOR_PATHS, type DccVector } from '../src/main/pipeline/decoders/dcc/dcc-test-vectors.js';
import { pc1Decoder } from '../src/main/pipeline/decoders/pc1/pc1-decoder.js';
import { FIXED_NOW_MS, pipelineFixture } from '../src/main/pipeline/test-fixtures.js';
import { verifyCredential, type TrustStore } from '../src/main/pipeline/verify.js';
import { MapTrustStore } from '../src/main/trust/trust-store.js';
import { printFigures, printTable, summarise, type LatencySummary } from './stats.js';

interface Measured {
  summary: LatencySummary;
  opsPerSecond: number;
}

/** One timed pass: each call's time, and the wall and CPU time of the whole pass. */
interface Run {
  micros: Float64Array;
  seconds: number;
  /** The process's CPU time (user + system, every thread): unlike wall time, not stretched while other programs hold the cores. */
  cpuSeconds: number;
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function measured(runs: readonly Run[]): Measured {
  const micros = Float64Array.from(runs.flatMap((run) => Array.from(run.micros)));
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  return { summary: summarise(micros), opsPerSecond: micros.length / seconds };
}

/** Times `check` on each input in turn, `rounds` times over; every call must succeed. */
function runSync<T>(inputs: readonly T[], rounds: number, check: (input: T) => boolean): Run {
  for (let i = 0; i < Math.min(500, inputs.length * rounds); i++) check(inputs[i % inputs.length] as T);
  const total = inputs.length * rounds;
  const micros = new Float64Array(total);
  const cpuStart = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let i = 0; i < total; i++) {
    const input = inputs[i % inputs.length] as T;
    const t0 = process.hrtime.bigint();
    const ok = check(input);
    micros[i] = Number(process.hrtime.bigint() - t0) / 1000;
    if (!ok) throw new Error(`a benchmark input did not verify (#${i % inputs.length})`);
  }
  return { micros, seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: cpuSecondsSince(cpuStart) };
}

function measureSync<T>(inputs: readonly T[], rounds: number, check: (input: T) => boolean): Measured {
  return measured([runSync(inputs, rounds, check)]);
}

async function runAsync<T>(inputs: readonly T[], rounds: number, check: (input: T) => Promise<boolean>): Promise<Run> {
  for (let i = 0; i < Math.min(50, inputs.length * rounds); i++) await check(inputs[i % inputs.length] as T);
  const total = inputs.length * rounds;
  const micros = new Float64Array(total);
  const cpuStart = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let i = 0; i < total; i++) {
    const input = inputs[i % inputs.length] as T;
    const t0 = process.hrtime.bigint();
    const ok = await check(input);
    micros[i] = Number(process.hrtime.bigint() - t0) / 1000;
    if (!ok) throw new Error(`the peer did not verify benchmark input #${i % inputs.length}`);
  }
  return { micros, seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: cpuSecondsSince(cpuStart) };
}

/** Head-to-head blocks: the peer then the kiosk, alternating, so a change of load hits both. */
const HEAD_TO_HEAD_BLOCKS = 10;

function dccCheck(trust: TrustStore): (vector: DccVector) => boolean {
  return (vector) => {
    const decoded = decodeDcc(vector.prefix);
    return decoded.ok && verifyCredential(decoded.value, trust, vector.clockMs).ok;
  };
}

interface PeerSdk {
  /** `contents` is the CWT claims map as the peer's CBOR library decodes it. */
  unpackAndVerify(uri: string): Promise<{ status: string; contents?: unknown }>;
  addCachedCerts(certificates: Record<string, string>): void;
}

/**
 * The peer decodes and verifies but has no schema step; the kiosk validates every payload
 * against the DCC schema. So that both sides do the same work, the peer's payload goes through
 * the same schema validator the kiosk uses (hcert -260 → eu_DCC_v1 1).
 */
function peerPayloadPassesSchema(contents: unknown): boolean {
  const hcert = contents instanceof Map ? (contents as Map<unknown, unknown>).get(CLAIM_HCERT) : undefined;
  const payload: unknown = hcert instanceof Map ? (hcert as Map<unknown, unknown>).get(HCERT_EU_DCC_V1) : undefined;
  return typeof payload === 'object' && payload !== null && validateDccPayload(payload as JsonObject).ok;
}

function isPeerSdk(value: unknown): value is PeerSdk {
  const sdk = value as Partial<PeerSdk> | null;
  return typeof sdk?.unpackAndVerify === 'function' && typeof sdk.addCachedCerts === 'function';
}

/** Bundles the peer into `dir` with fetch stubbed out, and loads it. */
async function loadPeer(dir: string): Promise<PeerSdk> {
  const require = createRequire(import.meta.url);
  const entry = join(dirname(require.resolve('@pathcheck/dcc-sdk/package.json')), 'lib', 'main.js');
  const outfile = join(dir, 'dcc-sdk.bundle.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    // The bundle's CommonJS parts call require() for Node builtins.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    plugins: [
      {
        name: 'no-network',
        setup(pluginBuild) {
          pluginBuild.onResolve({ filter: /^cross-fetch$/ }, () => ({ path: 'cross-fetch', namespace: 'no-network' }));
          pluginBuild.onLoad({ filter: /.*/, namespace: 'no-network' }, () => ({
            contents: "export default async function fetch() { throw new Error('network disabled in the benchmark'); }",
            loader: 'js',
          }));
        },
      },
    ],
  });
  const sdk: unknown = await import(pathToFileURL(outfile).href);
  if (!isPeerSdk(sdk)) throw new Error('@pathcheck/dcc-sdk bundle does not export unpackAndVerify and addCachedCerts');
  return sdk;
}

export async function runFormatsBench(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...argv], options: { rounds: { type: 'string', default: '200' } } });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 10) throw new Error('--rounds must be an integer of at least 10');

  // PC1: distinct passes of the demo authority.
  const fixture = pipelineFixture();
  const pc1Passes = Array.from({ length: 200 }, (_, i) => fixture.pass({ subjectId: `VN-ID:0791900${String(i).padStart(5, '0')}` }));
  const pc1 = measureSync(pc1Passes, rounds, (text) => {
    const decoded = pc1Decoder.decode(text);
    return decoded.ok && verifyCredential(decoded.value, fixture.trust, FIXED_NOW_MS).ok;
  });

  // DCC: the committed vectors, each at its own clock, all signers trusted at once. Several
  // vectors share a signer; a trust list holds each certificate once (as the peer's, keyed by kid).
  const vectors = VALID_DCC_VECTOR_PATHS.map(loadDccVector);
  const signers = new Map(vectors.map((vector) => [Buffer.from(vector.certificateDer).toString('base64'), vector.signer]));
  const trust = new MapTrustStore([...signers.values()]);
  const dcc = measureSync(vectors, rounds * 10, dccCheck(trust));
  const es256 = vectors.filter((vector) => vector.signer.alg === 'ES256');
  const ps256 = vectors.filter((vector) => vector.signer.alg === 'PS256');
  const dccEs = measureSync(es256, rounds * 5, dccCheck(trust));
  const dccPs = measureSync(ps256, rounds * 5, dccCheck(trust));

  // The peer, on the same vectors, in blocks alternating with the kiosk's.
  const dir = await mkdtemp(join(tmpdir(), 'pccovid-bench-'));
  const peerRuns: Run[] = [];
  const ourRuns: Run[] = [];
  const common: DccVector[] = [];
  try {
    const sdk = await loadPeer(dir);
    const certificates: Record<string, string> = {};
    for (const vector of vectors) {
      certificates[Buffer.from(vector.signer.kidHex, 'hex').toString('base64')] = Buffer.from(vector.certificateDer).toString('base64');
    }
    sdk.addCachedCerts(certificates);
    // The peer logs to the console on every call; that is part of its cost, so it stays, muted.
    const log = console.log;
    const warn = console.warn;
    console.log = () => undefined;
    console.warn = () => undefined;
    try {
      // Head to head on the vectors the peer verifies too (it rejects some valid ones, e.g. an
      // untagged COSE_Sign1), both sides on exactly the same inputs.
      const peerCheck = async (vector: DccVector): Promise<boolean> => {
        const result = await sdk.unpackAndVerify(vector.prefix);
        return result.status === 'verified' && peerPayloadPassesSchema(result.contents);
      };
      for (const vector of vectors) if (await peerCheck(vector)) common.push(vector);
      if (common.length === 0) throw new Error('@pathcheck/dcc-sdk verified none of the vectors');
      const peerRounds = Math.max(1, Math.round(rounds / 5 / HEAD_TO_HEAD_BLOCKS));
      const ourRounds = Math.max(1, Math.round((rounds * 5) / HEAD_TO_HEAD_BLOCKS));
      for (let block = 0; block < HEAD_TO_HEAD_BLOCKS; block++) {
        peerRuns.push(await runAsync(common, peerRounds, peerCheck));
        ourRuns.push(runSync(common, ourRounds, dccCheck(trust)));
      }
    } finally {
      console.log = log;
      console.warn = warn;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const peer = measured(peerRuns);
  const ours = measured(ourRuns);
  const ratio = ours.opsPerSecond / peer.opsPerSecond;
  const cpuPerCall = (runs: readonly Run[]): number =>
    runs.reduce((sum, run) => sum + run.cpuSeconds, 0) / runs.reduce((sum, run) => sum + run.micros.length, 0);
  const cpuRatio = cpuPerCall(peerRuns) / cpuPerCall(ourRuns);
  // Each block's ratio: how far load changes during the run moved it.
  const blockRatios = ourRuns
    .map((run, i) => {
      const peerRun = peerRuns[i] as Run;
      return run.micros.length / run.seconds / (peerRun.micros.length / peerRun.seconds);
    })
    .sort((a, b) => a - b);
  const refused = vectors.filter((vector) => !common.includes(vector)).map((vector) => vector.name);
  console.log(`decode + verify, ${rounds} rounds (PC1: 200 passes; DCC: ${vectors.length} vectors, ${es256.length} ES256, ${ps256.length} PS256)`);
  printTable([
    ['format', 'p50 µs', 'p99 µs', 'max µs', 'ops/s'],
    ['pc1 (EdDSA)', pc1.summary.p50, pc1.summary.p99, pc1.summary.max, pc1.opsPerSecond],
    ['dcc (all)', dcc.summary.p50, dcc.summary.p99, dcc.summary.max, dcc.opsPerSecond],
    ['dcc ES256', dccEs.summary.p50, dccEs.summary.p99, dccEs.summary.max, dccEs.opsPerSecond],
    ['dcc PS256', dccPs.summary.p50, dccPs.summary.p99, dccPs.summary.max, dccPs.opsPerSecond],
    [`kiosk, ${common.length} shared`, ours.summary.p50, ours.summary.p99, ours.summary.max, ours.opsPerSecond],
    ['dcc-sdk (peer)', peer.summary.p50, peer.summary.p99, peer.summary.max, peer.opsPerSecond],
  ]);
  if (refused.length > 0) console.log(`the peer refused ${refused.length} valid vector(s), left out of the comparison: ${refused.join(', ')}`);
  console.log(`ratio per block (${HEAD_TO_HEAD_BLOCKS} alternating blocks): min ${(blockRatios[0] ?? 0).toFixed(1)}x, max ${(blockRatios.at(-1) ?? 0).toFixed(1)}x; by CPU time per call: ${cpuRatio.toFixed(1)}x`);
  console.log(`target DCC p99 <= 2000 µs: ${dcc.summary.p99 <= 2000 ? 'met' : 'NOT met'}; target >= 10x the peer: ${ratio >= 10 ? 'met' : 'NOT met'} (${ratio.toFixed(1)}x)`);
  const round = (value: number): number => Number(value.toFixed(1));
  printFigures({
    bench: 'formats',
    pc1_p50_us: round(pc1.summary.p50),
    pc1_p99_us: round(pc1.summary.p99),
    pc1_throughput_ops_per_s: Math.round(pc1.opsPerSecond),
    dcc_p50_us: round(dcc.summary.p50),
    dcc_p99_us: round(dcc.summary.p99),
    dcc_throughput_ops_per_s: Math.round(dcc.opsPerSecond),
    dcc_es256_p99_us: round(dccEs.summary.p99),
    dcc_ps256_p99_us: round(dccPs.summary.p99),
    peer_dcc_sdk_p50_us: round(peer.summary.p50),
    peer_dcc_sdk_p99_us: round(peer.summary.p99),
    peer_dcc_sdk_throughput_ops_per_s: Math.round(peer.opsPerSecond),
    head_to_head_vectors: common.length,
    kiosk_shared_throughput_ops_per_s: Math.round(ours.opsPerSecond),
    dcc_vs_peer_throughput_ratio_x: round(ratio),
    dcc_vs_peer_block_ratio_min_x: round(blockRatios[0] ?? 0),
    dcc_vs_peer_block_ratio_max_x: round(blockRatios.at(-1) ?? 0),
    dcc_vs_peer_cpu_time_ratio_x: round(cpuRatio),
  });
}
