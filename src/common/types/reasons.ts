// Reason codes and the sentences a cashier or a guard reads. Every failure anywhere in the
// pipeline is one of these codes; the catalogue is the only place their words live.

export type Locale = 'vi' | 'en';
export const LOCALES: readonly Locale[] = ['vi', 'en'];

export const REASON_CODES = [
  // decode: the code could not be read as any known credential
  'empty_input',
  'input_too_long',
  'unknown_format',
  'base45_invalid',
  'zlib_invalid',
  'zlib_too_large',
  'cose_invalid',
  'cwt_invalid',
  'claims_invalid',
  // verify
  'unsupported_algorithm',
  'unknown_issuer',
  'signature_invalid',
  'not_yet_valid',
  'expired',
  // status and policy
  'status_green',
  'status_yellow',
  'status_red',
  'status_unknown',
  'status_from_pass',
  'internal_error',
  // decode: identity documents and the earlier apps' codes (unsigned, identity only)
  'document_unreadable',
  'check_digit_invalid',
  'document_fields_invalid',
  'citizen_id_invalid',
  // EU DCC: payload schema, and what the signing certificate allows
  'dcc_schema_invalid',
  'signer_certificate_not_valid',
  'signer_type_not_allowed',
  // policies (rules issue): evidence, EU business rules, the border lane, door rules
  'evidence_vaccinated',
  'evidence_negative_test',
  'evidence_recovered',
  'no_qualifying_evidence',
  'dcc_rules_passed',
  'dcc_rules_failed',
  'travel_document_valid',
  'travel_document_expired',
  'lane_scan_other_document',
  'lane_document_not_accepted',
  'holder_name_mismatch',
  'holder_birth_date_mismatch',
  'cache_stale',
  'cache_too_old',
  'clock_behind',
  'clock_ahead',
  'already_checked_in',
  // provisioning (src/main/provision): the kiosk is not ready to decide
  'kiosk_not_provisioned',
  'self_test_scan',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

export interface Reason {
  code: ReasonCode;
  /** Technical detail for staff and logs; never shown as the headline. */
  detail?: string;
}

type Catalogue = Record<ReasonCode, Record<Locale, string>>;

export const REASON_MESSAGES: Catalogue = {
  empty_input: { en: 'Nothing was scanned.', vi: 'Không đọc được mã nào.' },
  input_too_long: {
    en: 'The code is too long to be a pass.',
    vi: 'Mã quá dài, không phải thẻ hợp lệ.',
  },
  unknown_format: {
    en: 'This code is not a pass this kiosk knows.',
    vi: 'Mã này không phải loại thẻ mà máy nhận biết.',
  },
  base45_invalid: {
    en: 'The pass is damaged or was not scanned completely. Scan it again.',
    vi: 'Thẻ bị hỏng hoặc quét chưa hết. Vui lòng quét lại.',
  },
  zlib_invalid: {
    en: 'The pass is damaged or was not scanned completely. Scan it again.',
    vi: 'Thẻ bị hỏng hoặc quét chưa hết. Vui lòng quét lại.',
  },
  zlib_too_large: {
    en: 'The code holds far more data than any pass. It is refused.',
    vi: 'Mã chứa quá nhiều dữ liệu so với một thẻ. Bị từ chối.',
  },
  cose_invalid: {
    en: 'The pass is not correctly signed data. It may be forged or damaged.',
    vi: 'Dữ liệu ký của thẻ không đúng. Thẻ có thể bị làm giả hoặc hỏng.',
  },
  cwt_invalid: {
    en: 'The pass content is malformed. It may be forged or damaged.',
    vi: 'Nội dung thẻ sai cấu trúc. Thẻ có thể bị làm giả hoặc hỏng.',
  },
  claims_invalid: {
    en: 'The pass is missing required information.',
    vi: 'Thẻ thiếu thông tin bắt buộc.',
  },
  unsupported_algorithm: {
    en: 'The pass uses a signature method this kiosk does not accept.',
    vi: 'Thẻ dùng phương thức ký mà máy không chấp nhận.',
  },
  unknown_issuer: {
    en: 'The pass was not issued by a trusted authority.',
    vi: 'Thẻ không do cơ quan được tin cậy cấp.',
  },
  signature_invalid: {
    en: 'The pass signature is wrong: the pass was changed or forged.',
    vi: 'Chữ ký của thẻ không đúng: thẻ đã bị sửa hoặc làm giả.',
  },
  not_yet_valid: {
    en: 'The pass is not valid yet. Check the kiosk clock if this is unexpected.',
    vi: 'Thẻ chưa có hiệu lực. Kiểm tra đồng hồ của máy nếu điều này bất thường.',
  },
  expired: {
    en: 'The pass or certificate has expired. The holder must get a current one.',
    vi: 'Thẻ hoặc chứng nhận đã hết hạn. Người dùng cần lấy thẻ mới còn hiệu lực.',
  },
  status_green: { en: 'Health status: green.', vi: 'Trạng thái sức khỏe: xanh.' },
  status_yellow: {
    en: 'Health status: yellow. Staff must check.',
    vi: 'Trạng thái sức khỏe: vàng. Nhân viên cần kiểm tra.',
  },
  status_red: {
    en: 'Health status: red. Entry is not allowed.',
    vi: 'Trạng thái sức khỏe: đỏ. Không được vào.',
  },
  status_unknown: {
    en: 'Health status unknown. Staff must check.',
    vi: 'Không rõ trạng thái sức khỏe. Nhân viên cần kiểm tra.',
  },
  status_from_pass: {
    en: 'Status taken from the pass: no newer record on this kiosk.',
    vi: 'Trạng thái lấy từ thẻ: máy chưa có dữ liệu mới hơn.',
  },
  internal_error: {
    en: 'The kiosk could not check this pass. Call staff.',
    vi: 'Máy không kiểm tra được thẻ này. Vui lòng gọi nhân viên.',
  },
  document_unreadable: {
    en: 'The code on the document could not be read completely. Scan it again.',
    vi: 'Không đọc được đầy đủ mã trên giấy tờ. Vui lòng quét lại.',
  },
  check_digit_invalid: {
    en: 'The check digits on the document do not match: it was misread or altered. Scan it again; if it fails again, check the document by hand.',
    vi: 'Số kiểm tra trên giấy tờ không khớp: đọc sai hoặc giấy tờ đã bị sửa. Quét lại; nếu vẫn lỗi, kiểm tra giấy tờ bằng mắt.',
  },
  document_fields_invalid: {
    en: 'Some details on the document are missing or impossible (for example a date that does not exist). Check the document by hand.',
    vi: 'Một số thông tin trên giấy tờ bị thiếu hoặc không hợp lệ (ví dụ ngày không tồn tại). Kiểm tra giấy tờ bằng mắt.',
  },
  citizen_id_invalid: {
    en: 'The citizen ID number does not match its province code, or the holder\'s birth year or sex. Check the card by hand.',
    vi: 'Số căn cước không khớp với mã tỉnh, năm sinh hoặc giới tính của người mang thẻ. Kiểm tra thẻ bằng mắt.',
  },
  dcc_schema_invalid: {
    en: 'The health certificate content does not follow the EU DCC format. It may be forged or damaged.',
    vi: 'Nội dung chứng nhận y tế không đúng định dạng EU DCC. Có thể bị làm giả hoặc hỏng.',
  },
  signer_certificate_not_valid: {
    en: 'The health certificate was signed with a key that was not valid for its dates. Do not accept it.',
    vi: 'Chứng nhận y tế được ký bằng khóa không còn hiệu lực cho thời hạn của nó. Không chấp nhận.',
  },
  signer_type_not_allowed: {
    en: 'The issuing key may not sign this kind of certificate (vaccination, test or recovery). Do not accept it.',
    vi: 'Khóa cấp không được phép ký loại chứng nhận này (tiêm chủng, xét nghiệm hoặc khỏi bệnh). Không chấp nhận.',
  },
  evidence_vaccinated: {
    en: 'Vaccinated with the number of doses this entrance requires.',
    vi: 'Đã tiêm đủ số mũi vắc xin theo yêu cầu tại đây.',
  },
  evidence_negative_test: {
    en: 'Tested negative recently enough for this entrance.',
    vi: 'Có kết quả xét nghiệm âm tính còn trong thời hạn được chấp nhận.',
  },
  evidence_recovered: {
    en: 'Recovered from COVID-19 recently enough for this entrance.',
    vi: 'Đã khỏi bệnh COVID-19 trong thời hạn được chấp nhận.',
  },
  no_qualifying_evidence: {
    en: 'No proof of full vaccination, a recent negative test or a recent recovery. Entry is not allowed.',
    vi: 'Không có bằng chứng tiêm đủ mũi, xét nghiệm âm tính gần đây hoặc mới khỏi bệnh. Không được vào.',
  },
  dcc_rules_passed: {
    en: "The health certificate meets the arrival country's rules.",
    vi: 'Chứng nhận y tế đáp ứng quy định của nước đến.',
  },
  dcc_rules_failed: {
    en: "The health certificate does not meet the arrival country's rules. Do not accept it.",
    vi: 'Chứng nhận y tế không đáp ứng quy định của nước đến. Không chấp nhận.',
  },
  travel_document_valid: {
    en: "Travel document read: check digits correct, not expired. Compare its photo with the traveller.",
    vi: 'Đã đọc giấy tờ đi lại: số kiểm tra đúng, còn hạn. Đối chiếu ảnh với hành khách.',
  },
  travel_document_expired: {
    en: 'The travel document has expired. The traveller needs a valid one.',
    vi: 'Giấy tờ đi lại đã hết hạn. Hành khách cần giấy tờ còn hạn.',
  },
  lane_scan_other_document: {
    en: "Scan the traveller's other document: both the passport and the health certificate are needed.",
    vi: 'Quét giấy tờ còn lại của hành khách: cần cả hộ chiếu và chứng nhận y tế.',
  },
  lane_document_not_accepted: {
    en: 'This lane checks a passport (or other travel document) and an EU health certificate; this code is neither. Check the traveller by hand.',
    vi: 'Làn này kiểm tra hộ chiếu (hoặc giấy tờ đi lại) và chứng nhận y tế EU; mã này không thuộc hai loại đó. Kiểm tra hành khách bằng tay.',
  },
  holder_name_mismatch: {
    en: "The name on the health certificate differs from the travel document's. Compare both with the traveller.",
    vi: 'Tên trên chứng nhận y tế khác với trên giấy tờ đi lại. Đối chiếu cả hai với hành khách.',
  },
  holder_birth_date_mismatch: {
    en: "The date of birth on the health certificate differs from the travel document's: they are not the same person's.",
    vi: 'Ngày sinh trên chứng nhận y tế khác với trên giấy tờ đi lại: hai giấy tờ không phải của cùng một người.',
  },
  cache_stale: {
    en: 'The kiosk has not received health data updates for a while; this result may be out of date. Staff: check its connection.',
    vi: 'Máy đã lâu chưa nhận được dữ liệu y tế mới; kết quả có thể chưa cập nhật. Nhân viên: kiểm tra kết nối của máy.',
  },
  cache_too_old: {
    en: "The kiosk's health data is too old to let anyone in by itself. Staff must check; reconnect the kiosk so it can update.",
    vi: 'Dữ liệu y tế của máy đã quá cũ để tự cho vào. Nhân viên cần kiểm tra; hãy kết nối lại để máy cập nhật.',
  },
  clock_behind: {
    en: 'The kiosk clock is behind the time of its newest data: it is wrong or was set back. Staff must check each person; have the clock fixed.',
    vi: 'Đồng hồ của máy chậm hơn thời điểm của dữ liệu mới nhất: đồng hồ sai hoặc đã bị chỉnh lùi. Nhân viên cần kiểm tra từng người; hãy chỉnh lại đồng hồ.',
  },
  clock_ahead: {
    en: 'The kiosk clock is far ahead of its newest data: the clock is wrong or the kiosk has not synced for days. Check the clock and the connection.',
    vi: 'Đồng hồ của máy nhanh hơn nhiều so với dữ liệu mới nhất: đồng hồ sai hoặc máy đã nhiều ngày chưa đồng bộ. Kiểm tra đồng hồ và kết nối.',
  },
  already_checked_in: {
    en: 'Already checked in: this code was scanned moments ago. The earlier result stands.',
    vi: 'Đã kiểm tra rồi: mã này vừa được quét. Kết quả trước đó được giữ nguyên.',
  },
  kiosk_not_provisioned: {
    en: 'This kiosk is not set up yet and checks no one. A technician must provision it.',
    vi: 'Máy này chưa được cài đặt và chưa kiểm tra ai. Kỹ thuật viên cần cài đặt máy.',
  },
  self_test_scan: {
    en: 'Scanner test: the code was read. It was not checked and not logged.',
    vi: 'Kiểm tra máy quét: đã đọc được mã. Mã không được kiểm tra và không được ghi lại.',
  },
};

export function reasonMessage(code: ReasonCode, locale: Locale): string {
  return REASON_MESSAGES[code][locale];
}
