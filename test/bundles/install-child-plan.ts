// What install-crash.test.ts tells its child process (install-child.ts) to do.
export interface ChildPlan {
  dir: string;
  bundles: string[];
  devicePem: string;
  rootKeys: { kid: string; publicKey: string }[];
  compactAbove: number;
  /** Die at progress event `event` (0-based) of bundle `bundle`. */
  killAt: { bundle: number; event: number } | null;
}

/** Exit code of a child told to die in a bundle that an earlier run had already installed. */
export const ALREADY_INSTALLED = 3;
