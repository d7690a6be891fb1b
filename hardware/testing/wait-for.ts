// For tests that wait on real devices (ptys, processes): poll a condition until it holds, with a
// bound. Waiting is not asserting on time: the bound only turns a hang into a clear failure.

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000, stepMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (condition()) return;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}
