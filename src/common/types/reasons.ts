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
};

export function reasonMessage(code: ReasonCode, locale: Locale): string {
  return REASON_MESSAGES[code][locale];
}
