// Words for the technician's provisioning wizard, vi and en: a title per step and, per error
// code, a headline and the fix. The state's own `message` adds the detail (hub address, device
// id, minutes off); these are what a technician reads first.
import type { Locale } from '../types/reasons.js';
import type { ProvisionErrorCode, ProvisionStep } from './provision-view.js';

type Text = Record<Locale, string>;

export const PROVISION_STEP_TITLES: Record<ProvisionStep, Text> = {
  unprovisioned: { en: 'Scan the enrolment QR code', vi: 'Quét mã QR đăng ký thiết bị' },
  enrolling: { en: 'Enrolling at the hub…', vi: 'Đang đăng ký với máy chủ…' },
  awaiting_fingerprint: { en: 'Compare the authority key fingerprint', vi: 'So sánh dấu vân tay khóa của cơ quan' },
  configuring: { en: 'Getting this kiosk’s venue or lane…', vi: 'Đang nhận địa điểm hoặc làn của máy…' },
  first_sync: { en: 'First sync: downloading keys, policy and status data…', vi: 'Đồng bộ lần đầu: đang tải khóa, quy định và dữ liệu…' },
  self_test: { en: 'Scan a test code on each scanner', vi: 'Quét thử một mã trên từng máy quét' },
  ready: { en: 'Ready', vi: 'Sẵn sàng' },
};

export const PROVISION_ERROR_TEXT: Record<ProvisionErrorCode, { headline: Text; fix: Text }> = {
  ticket_unreadable: {
    headline: { en: 'This is not an enrolment code', vi: 'Đây không phải mã đăng ký' },
    fix: { en: 'Scan the QR code printed by the hub operator (pccovid-hub enrol-token).', vi: 'Quét mã QR do người vận hành máy chủ in ra (pccovid-hub enrol-token).' },
  },
  hub_unreachable: {
    headline: { en: 'The hub does not answer', vi: 'Máy chủ không phản hồi' },
    fix: { en: 'Check the network cable or Wi-Fi, then try again. The code is still good.', vi: 'Kiểm tra cáp mạng hoặc Wi-Fi rồi thử lại. Mã vẫn còn dùng được.' },
  },
  hub_refused: {
    headline: { en: 'The hub refused this kiosk', vi: 'Máy chủ từ chối máy này' },
    fix: { en: 'Call the hub operator with the message below.', vi: 'Gọi người vận hành máy chủ và đọc thông báo bên dưới.' },
  },
  hub_answer_unreadable: {
    headline: { en: 'The hub’s answer cannot be read', vi: 'Không đọc được phản hồi của máy chủ' },
    fix: { en: 'Update the kiosk software, or ask the operator for a new code.', vi: 'Cập nhật phần mềm máy, hoặc xin người vận hành mã mới.' },
  },
  token_unknown: {
    headline: { en: 'This hub does not know this code', vi: 'Máy chủ không biết mã này' },
    fix: { en: 'Ask the operator for a new QR code for this hub.', vi: 'Xin người vận hành mã QR mới cho máy chủ này.' },
  },
  token_used: {
    headline: { en: 'This code was already used', vi: 'Mã này đã được dùng' },
    fix: { en: 'Each code enrols one kiosk. Ask the operator for a new QR code.', vi: 'Mỗi mã chỉ đăng ký một máy. Xin người vận hành mã QR mới.' },
  },
  token_expired: {
    headline: { en: 'This code has expired', vi: 'Mã này đã hết hạn' },
    fix: { en: 'Ask the operator for a new QR code.', vi: 'Xin người vận hành mã QR mới.' },
  },
  device_already_enrolled: {
    headline: { en: 'This kiosk’s key is already enrolled', vi: 'Khóa của máy này đã được đăng ký' },
    fix: { en: 'Factory-reset the kiosk to make new keys, then enrol again.', vi: 'Khôi phục cài đặt gốc để tạo khóa mới, rồi đăng ký lại.' },
  },
  root_key_mismatch: {
    headline: { en: 'The hub sent the wrong authority key', vi: 'Máy chủ gửi sai khóa của cơ quan' },
    fix: { en: 'Do not use this hub. Call the operator.', vi: 'Không dùng máy chủ này. Gọi người vận hành.' },
  },
  fingerprint_mismatch: {
    headline: { en: 'The fingerprints do not match', vi: 'Dấu vân tay không khớp' },
    fix: { en: 'The enrolment was stopped and its keys wiped. Call the operator to check the hub address.', vi: 'Việc đăng ký đã dừng và khóa đã bị xóa. Gọi người vận hành để kiểm tra địa chỉ máy chủ.' },
  },
  clock_wrong: {
    headline: { en: 'The kiosk clock is wrong', vi: 'Đồng hồ của máy bị sai' },
    fix: { en: 'Set the date, time and time zone (or turn on network time), then try again.', vi: 'Chỉnh ngày, giờ và múi giờ (hoặc bật đồng bộ giờ qua mạng), rồi thử lại.' },
  },
  not_assigned: {
    headline: { en: 'No venue or lane for this kiosk', vi: 'Máy chưa được gán địa điểm hoặc làn' },
    fix: { en: 'The operator issues the code with a venue (enrol-token --venue). Reset and enrol with the new code.', vi: 'Người vận hành cấp mã kèm địa điểm (enrol-token --venue). Khôi phục và đăng ký bằng mã mới.' },
  },
  bundle_refused: {
    headline: { en: 'The hub’s data was refused', vi: 'Dữ liệu từ máy chủ bị từ chối' },
    fix: { en: 'Try again; if it repeats, call the operator with the message below.', vi: 'Thử lại; nếu lặp lại, gọi người vận hành và đọc thông báo bên dưới.' },
  },
  no_scanner: {
    headline: { en: 'No scanner has read a code yet', vi: 'Chưa máy quét nào đọc được mã' },
    fix: { en: 'Check the cable and the scanner’s mode, then scan any code on each scanner.', vi: 'Kiểm tra cáp và chế độ máy quét, rồi quét thử một mã trên từng máy.' },
  },
  device_revoked: {
    headline: { en: 'The hub revoked this kiosk', vi: 'Máy chủ đã thu hồi máy này' },
    fix: { en: 'Its data was wiped. Provision it again with a new code.', vi: 'Dữ liệu của máy đã bị xóa. Cài đặt lại bằng mã mới.' },
  },
  wrong_step: {
    headline: { en: 'Not possible at this step', vi: 'Không thực hiện được ở bước này' },
    fix: { en: 'Follow the step shown on screen.', vi: 'Làm theo bước đang hiển thị.' },
  },
  key_storage_failed: {
    headline: { en: 'The kiosk’s keys cannot be stored or read', vi: 'Không lưu hoặc đọc được khóa của máy' },
    fix: { en: 'Check the disk, then factory-reset and provision again.', vi: 'Kiểm tra ổ đĩa, rồi khôi phục cài đặt gốc và cài đặt lại.' },
  },
  internal_error: {
    headline: { en: 'Something went wrong in the kiosk', vi: 'Máy gặp lỗi' },
    fix: { en: 'Try again; if it repeats, restart the kiosk and call support.', vi: 'Thử lại; nếu lặp lại, khởi động lại máy và gọi hỗ trợ.' },
  },
};
