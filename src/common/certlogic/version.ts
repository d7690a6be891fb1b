/** The version of the CertLogic specification this evaluator implements (SPEC.md "Version"). */
export const CERTLOGIC_SPEC_VERSION = '1.3.3';
