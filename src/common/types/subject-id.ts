// Canonical subject ids (DESIGN.md): one spelling per person per identifier, so that the
// status cache and the alias map can key on them.

const VN_ID = /^VN-ID:\d{12}$/;
const DOC = /^DOC:[A-Z]{1,3}:[A-Z0-9]{1,20}$/;
// The UVCI as issued, upper-cased. The schema allows any text up to 80 characters and issuers
// use it: no "URN:UVCI:" prefix ("01ES10V778A77BC630DCE6AD3EEA#5"), "dgci:V1:CY:…", even a
// space ("01 IS/ABC4556#8"). So: printable ASCII without lower case, no leading or trailing space.
const DCC = /^DCC:[!-`{-~](?:[ -`{-~]{0,78}[!-`{-~])?$/;
const EARLIER_APP = /^APP:[a-z0-9-]{1,32}:[A-Za-z0-9._-]{1,64}$/;

export function isCanonicalSubjectId(id: string): boolean {
  return VN_ID.test(id) || DOC.test(id) || DCC.test(id) || EARLIER_APP.test(id);
}
