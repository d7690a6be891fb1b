// The words of the kiosk screen, in both languages. Reason sentences live in the common
// catalogue (src/common/types/reasons.ts); this file holds only the screen's own words.
// Kept as a typed catalogue rather than an i18n library: two locales, a few dozen strings,
// keys checked by the compiler (a missing translation fails typecheck, not the screen), no
// plural rules beyond "N hours", and nothing more to load under the strict CSP.
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
  | 'consoleNever'
  | 'consoleChart'
  | 'consoleReset'
  | 'consoleResetNote'
  | 'consoleClose'
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
  scannerMissing: {
    vi: 'Máy quét chưa kết nối. Nhân viên: kiểm tra dây cáp của máy quét; máy tự kết nối lại khi được cắm vào.',
    en: 'A scanner is disconnected. Staff: check its cable; the kiosk reconnects it by itself once it is plugged back in.',
  },
  online: { vi: 'Đang kết nối', en: 'Online' },
  offline: { vi: 'Mất kết nối', en: 'Offline' },
  staleData: { vi: 'Dữ liệu cũ', en: 'Data out of date' },
  // {hours} is replaced by a whole number.
  dataAgeHours: { vi: 'Dữ liệu cập nhật {hours} giờ trước', en: 'Data {hours} hours old' },
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
  consoleNever: { vi: 'chưa có', en: 'never' },
  consoleChart: { vi: 'Lượt kiểm tra mỗi giờ (24 giờ qua)', en: 'Check-ins per hour (last 24 h)' },
  consoleReset: { vi: 'Khôi phục cài đặt gốc', en: 'Factory reset' },
  consoleResetNote: { vi: 'Chưa có: máy chưa có kênh khôi phục; kỹ thuật viên xóa thư mục dữ liệu theo hướng dẫn.', en: 'Not available yet: the kiosk has no reset channel; technicians wipe the data directory as documented.' },
  consoleClose: { vi: 'Đóng', en: 'Close' },
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

export function uiText(key: UiTextKey, locale: Locale): string {
  return UI_TEXT[key][locale];
}

/** A catalogue entry with its {name} placeholders filled in. */
export function uiTextWith(key: UiTextKey, locale: Locale, values: Readonly<Record<string, string | number>>): string {
  return uiText(key, locale).replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : String(value);
  });
}

export function otherLocale(locale: Locale): Locale {
  return locale === 'vi' ? 'en' : 'vi';
}
