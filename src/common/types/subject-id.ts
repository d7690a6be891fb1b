// Canonical subject ids (DESIGN.md): one spelling per person per identifier, so that the
// status cache and the alias map can key on them.

const VN_ID = /^VN-ID:\d{12}$/;
const DOC = /^DOC:[A-Z]{1,3}:[A-Z0-9]{1,20}$/;
const DCC = /^DCC:URN:UVCI:[A-Z0-9:/#]{1,80}$/;
const EARLIER_APP = /^APP:[a-z0-9-]{1,32}:[A-Za-z0-9._-]{1,64}$/;

export function isCanonicalSubjectId(id: string): boolean {
  return VN_ID.test(id) || DOC.test(id) || DCC.test(id) || EARLIER_APP.test(id);
}
