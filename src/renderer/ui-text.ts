// The words of the kiosk screen, in both languages. Reason sentences live in the common
// catalogue (src/common/types/reasons.ts); this file holds only the screen's own words.
// Each entry is an ICU MessageFormat message in both locales, formatted by intl-messageformat
// (FormatJS): placeholders are {name}, plurals {n, plural, one {…} other {…}} by the locale's
// CLDR rules (Vietnamese has one form, English two). The keys are a TypeScript union, so a
// missing translation fails typecheck, not the screen; ui-text.test.ts parses every message and
// checks that both locales take the same arguments. The library compiles messages with a parser,
// not eval, so it runs under the strict CSP.
import { IntlMessageFormat } from 'intl-messageformat';
import type { Locale } from '../common/types/reasons.js';

export type UiTextKey =
  | 'scanPrompt'
  | 'scanHint'
  | 'demoBadge'
  | 'switchLanguage'
  | 'admitted'
  | 'denied'
  | 'review'
  | 'unreadable'
  | 'birthYear'
  | 'connectionLost'
  | 'submitFailed'
  | 'startFailed'
  | 'missingToken'
  | 'scannerMissing'
  | 'clockWrong'
  | 'clockAheadOfHub'
  | 'clockBehindHub'
  | 'online'
  | 'offline'
  | 'staleData'
  | 'dataAgeHours'
  | 'dataAgeNone'
  | 'overrideTitle'
  | 'overrideReason'
  | 'overrideAdmit'
  | 'overrideDeny'
  | 'overrideNeedsReason'
  | 'overrideDone'
  | 'overrideRefused'
  | 'overrideFailed'
  | 'fieldName'
  | 'fieldSurname'
  | 'fieldGivenNames'
  | 'fieldDob'
  | 'fieldNationality'
  | 'fieldSex'
  | 'fieldDocument'
  | 'fieldDocumentExpiry'
  | 'fieldIssuer'
  | 'fieldValidUntil'
  | 'fieldCertificate'
  | 'fieldDoses'
  | 'fieldTest'
  | 'consoleOpen'
  | 'consoleTitle'
  | 'consolePin'
  | 'consoleUnlock'
  | 'consoleWrongPin'
  | 'consoleRateLimited'
  | 'consoleFailed'
  | 'consoleDevices'
  | 'consoleNoDevices'
  | 'consoleConnected'
  | 'consoleDisconnected'
  | 'consoleLastScan'
  | 'consoleSync'
  | 'consolePending'
  | 'consoleOldestPending'
  | 'consoleParked'
  | 'consoleUploaded'
  | 'consoleLastUpload'
  | 'consoleLastError'
  | 'consoleDataAge'
  | 'consoleSealing'
  | 'consoleSealingAuthority'
  | 'consoleSealingDemo'
  | 'consoleSealingMissing'
  | 'consoleNever'
  | 'consoleChart'
  | 'consoleReset'
  | 'consoleResetNote'
  | 'consoleClose'
  | 'consoleBundle'
  | 'consoleBundleStale'
  | 'consoleLeave'
  | 'consoleLeaveWarning'
  | 'consoleLeaveGo'
  | 'consoleLeaving'
  | 'consoleLeaveUnsupported'
  | 'consoleProvision'
  | 'consoleResetWarning'
  | 'consoleResetPin'
  | 'consoleResetGo'
  | 'consoleResetCancel'
  | 'consoleResetExpired'
  | 'consoleResetDone'
  | 'provisionTitle'
  | 'provisionTicketHint'
  | 'provisionTicketLabel'
  | 'provisionEnrol'
  | 'provisionFingerprintShown'
  | 'provisionFingerprintTyped'
  | 'provisionMatch'
  | 'provisionMismatch'
  | 'provisionRetry'
  | 'provisionSelfTestHint'
  | 'provisionScannerPassed'
  | 'provisionScannerWaiting'
  | 'provisionFinish'
  | 'provisionSkipScanners'
  | 'provisionDevice'
  | 'provisionVenue'
  | 'provisionMode'
  | 'provisionModeVenue'
  | 'provisionModeBorder'
  | 'provisionOpenKiosk'
  | 'provisionWorking'
  | 'provisionCallFailed'
  | 'provisionClockWrong'
  | 'cameraUse'
  | 'cameraStop'
  | 'cameraPreview'
  | 'cameraOpening'
  | 'cameraLooking'
  | 'cameraMissing'
  | 'cameraDenied'
  | 'cameraBusy'
  | 'cameraUnsupported'
  | 'cameraFailed'
  | 'cameraTimeout';

export const UI_TEXT: Record<UiTextKey, Record<Locale, string>> = {
  scanPrompt: { vi: 'Quét mã', en: 'Scan your pass' },
  scanHint: {
    vi: 'Đưa mã QR hoặc căn cước công dân vào đầu đọc.',
    en: 'Hold your QR pass or citizen ID card to the reader.',
  },
  demoBadge: { vi: 'CHẾ ĐỘ THỬ', en: 'DEMO' },
  // The button names the language it switches to, in that language.
  switchLanguage: { vi: 'English', en: 'Tiếng Việt' },
  admitted: { vi: 'Được vào', en: 'Admitted' },
  denied: { vi: 'Không được vào', en: 'Not admitted' },
  review: { vi: 'Chờ nhân viên kiểm tra', en: 'Staff will check' },
  unreadable: { vi: 'Không đọc được', en: 'Could not read' },
  birthYear: { vi: 'Năm sinh', en: 'Born' },
  connectionLost: {
    vi: 'Màn hình mất kết nối với máy kiểm tra. Vui lòng gọi nhân viên để khởi động lại máy.',
    en: 'The screen lost its connection to the kiosk. Call staff to restart the kiosk.',
  },
  submitFailed: {
    vi: 'Máy không kiểm tra được lần quét này. Vui lòng quét lại; nếu vẫn lỗi, gọi nhân viên.',
    en: 'The kiosk could not check this scan. Scan again; if it fails again, call staff.',
  },
  startFailed: {
    vi: 'Máy kiểm tra chưa sẵn sàng. Vui lòng gọi nhân viên để khởi động lại máy.',
    en: 'The kiosk did not start correctly. Call staff to restart the kiosk.',
  },
  clockWrong: {
    vi: 'Đồng hồ của máy có vẻ sai (chậm hơn hoặc nhanh hơn nhiều so với dữ liệu mới nhất). Nhân viên: kiểm tra đồng hồ và kết nối.',
    en: 'The kiosk clock looks wrong (behind, or far ahead of, its newest data). Staff: check the clock and the connection.',
  },
  // The hub's clock, read at each sync, disagrees with the kiosk's beyond the hub's limit.
  clockAheadOfHub: {
    vi: 'Đồng hồ của máy nhanh {minutes} phút so với máy chủ, nên máy chủ từ chối đồng bộ. Nhân viên: chỉnh ngày, giờ và múi giờ (hoặc bật giờ tự động qua mạng).',
    en: '{minutes, plural, one {The kiosk clock is # minute ahead of the hub’s} other {The kiosk clock is # minutes ahead of the hub’s}}, so the hub refuses its syncs. Staff: set the date, time and time zone (or turn on network time).',
  },
  clockBehindHub: {
    vi: 'Đồng hồ của máy chậm {minutes} phút so với máy chủ, nên máy chủ từ chối đồng bộ. Nhân viên: chỉnh ngày, giờ và múi giờ (hoặc bật giờ tự động qua mạng).',
    en: '{minutes, plural, one {The kiosk clock is # minute behind the hub’s} other {The kiosk clock is # minutes behind the hub’s}}, so the hub refuses its syncs. Staff: set the date, time and time zone (or turn on network time).',
  },
  scannerMissing: {
    vi: 'Máy quét chưa kết nối. Nhân viên: kiểm tra dây cáp của máy quét; máy tự kết nối lại khi được cắm vào.',
    en: 'A scanner is disconnected. Staff: check its cable; the kiosk reconnects it by itself once it is plugged back in.',
  },
  online: { vi: 'Đang kết nối', en: 'Online' },
  offline: { vi: 'Mất kết nối', en: 'Offline' },
  staleData: { vi: 'Dữ liệu cũ', en: 'Data out of date' },
  // {hours} is replaced by a whole number.
  dataAgeHours: { vi: 'Dữ liệu cập nhật {hours} giờ trước', en: '{hours, plural, one {Data # hour old} other {Data # hours old}}' },
  dataAgeNone: { vi: 'Chưa có dữ liệu trạng thái', en: 'No status data yet' },
  overrideTitle: { vi: 'Quyết định của cán bộ', en: 'Officer decision' },
  overrideReason: { vi: 'Lý do (bắt buộc, được ghi lại)', en: 'Reason (required, logged)' },
  overrideAdmit: { vi: 'Cho qua', en: 'Admit' },
  overrideDeny: { vi: 'Không cho qua', en: 'Refuse' },
  overrideNeedsReason: { vi: 'Hãy ghi lý do trước khi quyết định.', en: 'Write the reason before deciding.' },
  overrideDone: { vi: 'Đã ghi quyết định.', en: 'Decision logged.' },
  overrideRefused: { vi: 'Máy không nhận quyết định này:', en: 'The kiosk refused this decision:' },
  overrideFailed: {
    vi: 'Không ghi được quyết định. Hãy thử lại; nếu vẫn lỗi, gọi kỹ thuật viên.',
    en: 'The decision could not be logged. Try again; if it fails again, call a technician.',
  },
  fieldName: { vi: 'Họ và tên', en: 'Full name' },
  fieldSurname: { vi: 'Họ', en: 'Surname' },
  fieldGivenNames: { vi: 'Tên', en: 'Given names' },
  fieldDob: { vi: 'Ngày sinh', en: 'Date of birth' },
  fieldNationality: { vi: 'Quốc tịch', en: 'Nationality' },
  fieldSex: { vi: 'Giới tính', en: 'Sex' },
  fieldDocument: { vi: 'Số giấy tờ', en: 'Document number' },
  fieldDocumentExpiry: { vi: 'Giấy tờ hết hạn', en: 'Document expires' },
  fieldIssuer: { vi: 'Nơi cấp', en: 'Issuer' },
  fieldValidUntil: { vi: 'Hiệu lực đến', en: 'Valid until' },
  fieldCertificate: { vi: 'Loại chứng nhận', en: 'Certificate' },
  fieldDoses: { vi: 'Số mũi / mũi gần nhất', en: 'Doses / last dose' },
  fieldTest: { vi: 'Xét nghiệm (loại, kết quả, ngày lấy mẫu)', en: 'Test (type, result, sampled)' },
  consoleOpen: { vi: 'Kỹ thuật', en: 'Technician' },
  consoleTitle: { vi: 'Bảng kỹ thuật', en: 'Technician console' },
  consolePin: { vi: 'Mã PIN kỹ thuật', en: 'Technician PIN' },
  consoleUnlock: { vi: 'Mở', en: 'Unlock' },
  consoleWrongPin: { vi: 'Sai mã PIN.', en: 'Wrong PIN.' },
  consoleRateLimited: { vi: 'Nhập sai quá nhiều lần. Thử lại sau {seconds} giây.', en: 'Too many wrong PINs. Try again in {seconds} s.' },
  consoleFailed: { vi: 'Không kiểm tra được mã PIN. Thử lại.', en: 'The PIN could not be checked. Try again.' },
  consoleDevices: { vi: 'Máy quét', en: 'Scanners' },
  consoleNoDevices: { vi: 'Chưa có máy quét nào.', en: 'No scanner yet.' },
  consoleConnected: { vi: 'đã kết nối', en: 'connected' },
  consoleDisconnected: { vi: 'mất kết nối', en: 'disconnected' },
  consoleLastScan: { vi: 'lần quét gần nhất', en: 'last scan' },
  consoleSync: { vi: 'Đồng bộ', en: 'Sync' },
  consolePending: { vi: 'Chờ gửi', en: 'Waiting to upload' },
  consoleOldestPending: { vi: 'Chờ lâu nhất (phút)', en: 'Oldest waiting (min)' },
  consoleParked: { vi: 'Bị từ chối', en: 'Refused by the hub' },
  consoleUploaded: { vi: 'Đã gửi', en: 'Uploaded' },
  consoleLastUpload: { vi: 'Gửi thành công gần nhất', en: 'Last upload' },
  consoleLastError: { vi: 'Lỗi gần nhất', en: 'Last error' },
  consoleDataAge: { vi: 'Tuổi dữ liệu trạng thái (giờ)', en: 'Status data age (h)' },
  consoleSealing: { vi: 'Danh tính được niêm phong cho', en: 'Identities sealed to' },
  consoleSealingAuthority: { vi: 'Khóa cơ quan y tế {keyId}', en: 'Health authority key {keyId}' },
  consoleSealingDemo: { vi: 'Khóa thử (demo)', en: 'Demo key' },
  consoleSealingMissing: {
    vi: 'KHÔNG CÓ KHÓA: lượt quét vẫn được ghi nhưng không có danh tính, không truy vết được. Báo cho người vận hành máy chủ.',
    en: 'NO KEY: check-ins are logged without the person and cannot be traced. Tell the hub operator.',
  },
  consoleNever: { vi: 'chưa có', en: 'never' },
  consoleChart: { vi: 'Lượt kiểm tra mỗi giờ (24 giờ qua)', en: 'Check-ins per hour (last 24 h)' },
  consoleReset: { vi: 'Khôi phục cài đặt gốc', en: 'Factory reset' },
  consoleResetNote: { vi: 'Xóa mọi dữ liệu và khóa của máy; cần mã PIN và xác nhận.', en: 'Wipes all of the kiosk’s data and keys; needs the PIN and a confirmation.' },
  consoleClose: { vi: 'Đóng', en: 'Close' },
  consoleBundle: { vi: 'Gói {type} số {sequence} (tuổi, giờ)', en: 'Bundle {type} #{sequence} (age, h)' },
  consoleBundleStale: { vi: 'đã hết hạn', en: 'expired' },
  consoleLeave: { vi: 'Thoát chế độ kiosk', en: 'Leave kiosk mode' },
  consoleLeaveWarning: { vi: 'Máy sẽ dừng màn hình kiểm tra để bảo trì; không ai được kiểm tra cho đến khi khởi động lại. Dữ liệu được giữ nguyên.', en: 'The check-in screen stops for maintenance; nobody can check in until the kiosk is started again. Its data is kept.' },
  consoleLeaveGo: { vi: 'Thoát', en: 'Leave' },
  consoleLeaving: { vi: 'Đang thoát chế độ kiosk…', en: 'Leaving kiosk mode…' },
  consoleLeaveUnsupported: { vi: 'Máy này không cho thoát từ màn hình; dùng lệnh của kỹ thuật viên.', en: 'This kiosk cannot be left from the screen; use the technician’s commands.' },
  consoleProvision: { vi: 'Cài đặt máy', en: 'Provision this kiosk' },
  consoleResetWarning: { vi: 'Xóa toàn bộ khóa, dữ liệu và nhật ký của máy này; máy trở về trạng thái chưa cài đặt. {pending} lượt kiểm tra chưa gửi lên máy chủ sẽ mất.', en: 'This wipes the kiosk’s keys, data and check-in log; it returns to unprovisioned. {pending, plural, one {# check-in} other {# check-ins}} not yet at the hub will be lost.' },
  consoleResetPin: { vi: 'Nhập lại mã PIN để xác nhận', en: 'Type the PIN again to confirm' },
  consoleResetGo: { vi: 'Xóa và khôi phục', en: 'Wipe and reset' },
  consoleResetCancel: { vi: 'Hủy', en: 'Cancel' },
  consoleResetExpired: { vi: 'Hết thời gian xác nhận. Bấm lại “Khôi phục cài đặt gốc”.', en: 'The confirmation expired. Press “Factory reset” again.' },
  consoleResetDone: { vi: 'Đã xóa. Máy đang khởi động lại để cài đặt.', en: 'Wiped. The kiosk restarts for provisioning.' },
  provisionTitle: { vi: 'Cài đặt máy kiểm tra', en: 'Set up this kiosk' },
  provisionTicketHint: { vi: 'Quét mã QR đăng ký bằng máy quét, hoặc dán nội dung mã vào ô dưới đây.', en: 'Scan the enrolment QR code with the scanner, or paste its text below.' },
  provisionTicketLabel: { vi: 'Nội dung mã đăng ký', en: 'Enrolment code text' },
  provisionEnrol: { vi: 'Đăng ký', en: 'Enrol' },
  provisionFingerprintShown: { vi: 'Dấu vân tay khóa gốc do máy chủ gửi. So với dấu in trên phiếu đăng ký:', en: 'Root key fingerprint sent by the hub. Compare it with the one printed on the enrolment ticket:' },
  provisionFingerprintTyped: { vi: 'Gõ ít nhất 8 ký tự đầu in trên phiếu (không bắt buộc)', en: 'Type at least its first 8 characters from the ticket (optional)' },
  provisionMatch: { vi: 'Khớp', en: 'They match' },
  provisionMismatch: { vi: 'Không khớp', en: 'They do not match' },
  provisionRetry: { vi: 'Thử lại', en: 'Try again' },
  provisionSelfTestHint: { vi: 'Quét một mã bất kỳ trên từng máy quét. Máy quét đã đọc được sẽ có dấu ✓.', en: 'Scan any code on each scanner. A scanner that read it gets a ✓.' },
  provisionScannerPassed: { vi: 'đã đọc được', en: 'read OK' },
  provisionScannerWaiting: { vi: 'chờ quét thử', en: 'waiting for a test scan' },
  provisionFinish: { vi: 'Hoàn tất', en: 'Finish' },
  provisionSkipScanners: { vi: 'Hoàn tất, chưa thử máy quét', en: 'Finish without a scanner test' },
  provisionDevice: { vi: 'Mã thiết bị', en: 'Device id' },
  provisionVenue: { vi: 'Địa điểm', en: 'Venue' },
  provisionMode: { vi: 'Chế độ', en: 'Mode' },
  provisionModeVenue: { vi: 'Cửa vào địa điểm', en: 'Venue door' },
  provisionModeBorder: { vi: 'Làn cửa khẩu', en: 'Border lane' },
  provisionOpenKiosk: { vi: 'Mở màn hình kiểm tra', en: 'Open the check-in screen' },
  provisionWorking: { vi: 'Đang xử lý…', en: 'Working…' },
  provisionCallFailed: { vi: 'Không liên lạc được với phần chính của máy. Đang thử lại…', en: 'The kiosk’s main process does not answer. Trying again…' },
  provisionClockWrong: { vi: 'Đồng hồ của máy bị sai.', en: 'The kiosk clock is wrong.' },
  cameraUse: { vi: 'Dùng camera', en: 'Use the camera' },
  cameraStop: { vi: 'Tắt camera', en: 'Stop the camera' },
  cameraPreview: { vi: 'Hình từ camera', en: 'Camera preview' },
  cameraOpening: { vi: 'Đang mở camera…', en: 'Opening the camera…' },
  cameraLooking: { vi: 'Đưa mã QR vào trước camera, giữ yên.', en: 'Hold your QR code up to the camera and keep it still.' },
  cameraMissing: {
    vi: 'Không tìm thấy camera. Hãy dùng đầu đọc mã; nhân viên: kiểm tra dây cáp của camera.',
    en: 'No camera found. Use the scanner; staff: check the camera cable.',
  },
  cameraDenied: {
    vi: 'Máy chưa được phép dùng camera. Hãy dùng đầu đọc mã; nhân viên: cho phép camera trong cài đặt của máy hoặc trình duyệt.',
    en: 'The kiosk is not allowed to use the camera. Use the scanner; staff: allow the camera in the system or browser settings.',
  },
  cameraBusy: {
    vi: 'Camera đang bị ứng dụng khác dùng. Hãy dùng đầu đọc mã; nhân viên: đóng ứng dụng đó rồi thử lại.',
    en: 'Another application is using the camera. Use the scanner; staff: close that application and try again.',
  },
  cameraUnsupported: {
    vi: 'Màn hình này không mở được camera. Hãy dùng đầu đọc mã.',
    en: 'This screen cannot open a camera. Use the scanner.',
  },
  cameraFailed: { vi: 'Camera gặp lỗi. Hãy thử lại, hoặc dùng đầu đọc mã.', en: 'The camera failed. Try again, or use the scanner.' },
  cameraTimeout: {
    vi: 'Chưa thấy mã QR. Giữ mã yên, cách camera khoảng 20 cm, rồi bấm "Dùng camera" lần nữa.',
    en: 'No QR code seen. Hold the code still about 20 cm from the camera, then press "Use the camera" again.',
  },
  missingToken: {
    vi: 'Địa chỉ này thiếu mã truy cập. Hãy mở đúng đường dẫn mà lệnh pccovid-kiosk đã in ra.',
    en: 'This address lacks its access token. Open the exact link the pccovid-kiosk command printed.',
  },
};

/** The raw ICU messages, for the catalogue's own tests. */
export const UI_MESSAGES: Readonly<Record<UiTextKey, Record<Locale, string>>> = UI_TEXT;

const compiled = new Map<string, IntlMessageFormat>();

function formatOf(key: UiTextKey, locale: Locale): IntlMessageFormat {
  const id = `${locale}\u0000${key}`;
  let format = compiled.get(id);
  if (format === undefined) {
    format = new IntlMessageFormat(UI_TEXT[key][locale], locale);
    compiled.set(id, format);
  }
  return format;
}

/** A catalogue entry that takes no argument. */
export function uiText(key: UiTextKey, locale: Locale): string {
  return uiTextWith(key, locale, {});
}

/** A catalogue entry formatted with its arguments ({name}, plurals by the locale's rules). */
export function uiTextWith(key: UiTextKey, locale: Locale, values: Readonly<Record<string, string | number>>): string {
  const text = formatOf(key, locale).format(values);
  if (typeof text !== 'string') throw new Error(`ui text ${key} (${locale}) did not format to text`);
  return text;
}

export function otherLocale(locale: Locale): Locale {
  return locale === 'vi' ? 'en' : 'vi';
}
