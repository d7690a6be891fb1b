// The words of the kiosk screen, in both languages. Reason sentences live in the common
// catalogue (src/common/types/reasons.ts); this file holds only the screen's own words.
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
  | 'clockWrong';

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
  missingToken: {
    vi: 'Địa chỉ này thiếu mã truy cập. Hãy mở đúng đường dẫn mà lệnh pccovid-kiosk đã in ra.',
    en: 'This address lacks its access token. Open the exact link the pccovid-kiosk command printed.',
  },
};

export function uiText(key: UiTextKey, locale: Locale): string {
  return UI_TEXT[key][locale];
}

export function otherLocale(locale: Locale): Locale {
  return locale === 'vi' ? 'en' : 'vi';
}
