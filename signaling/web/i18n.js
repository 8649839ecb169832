// Every word the browser client shows, Vietnamese first, English second, in one table.
// Elements carry data-i18n (text), data-i18n-title (tooltip) and data-i18n-label (aria-label);
// code asks t(key, vars) for text it builds itself. {name} in a string is replaced from vars.

const TEXT = {
  vi: {
    lang: 'English',
    appName: 'Điểm Cầu',
    // echo check ("test my link")
    echoTitle: 'Kiểm tra đường truyền',
    echoIntro: 'Máy chủ gửi lại chính hình và tiếng của bạn, qua đúng đường truyền của cuộc họp.',
    start: 'Bắt đầu', stop: 'Dừng', idle: 'Chưa kết nối.', local: 'Camera của bạn',
    remote: 'Hình nhận lại từ máy chủ', connecting: 'Đang kết nối…',
    live: 'Đã kết nối – đang nhận lại hình và tiếng.', failed: 'Lỗi: ', stopped: 'Đã dừng.',
    fps: 'Khung hình/giây nhận', frames: 'Khung hình đã giải mã', loss: 'Gói tin mất (video)',
    jitter: 'Độ trễ dao động (ms)', rtt: 'Thời gian khứ hồi (ms)', audio: 'Âm thanh nhận (giây)',
    echoGood: 'Đường truyền tốt.', echoFair: 'Đường truyền tạm được – hình có thể giật.',
    echoPoor: 'Đường truyền yếu – nên tắt camera khi họp.',
    // before joining
    prejoinTitle: 'Chuẩn bị vào họp', camera: 'Camera', microphone: 'Micrô', noneOption: 'Không dùng',
    micLevel: 'Mức âm thanh micrô', displayName: 'Tên hiển thị', displayNameHint: 'Mặc định: tên điểm cầu',
    join: 'Vào họp', testLink: 'Kiểm tra đường truyền', stopTest: 'Dừng kiểm tra',
    meetingLabel: 'Cuộc họp', siteLabel: 'Điểm cầu', roleHost: 'Chủ trì', roleSite: 'Điểm cầu',
    roleViewer: 'Người xem', preview: 'Hình xem trước',
    devNoCamera: 'Không tìm thấy camera. Bạn vẫn có thể vào họp chỉ với tiếng.',
    devNoMic: 'Không tìm thấy micrô. Hãy cắm micrô hoặc tai nghe rồi tải lại trang.',
    devDenied: 'Trình duyệt đã chặn camera và micrô. Bấm vào biểu tượng ổ khoá cạnh địa chỉ trang, chọn "Cho phép", rồi tải lại trang.',
    devBusy: 'Camera hoặc micrô đang được chương trình khác dùng. Hãy đóng chương trình đó rồi thử lại.',
    devInsecure: 'Trang này cần địa chỉ https:// để dùng camera và micrô.',
    devOther: 'Không mở được camera hoặc micrô: {detail}',
    // link problems
    noToken: 'Đường dẫn không có mã vào họp. Hãy mở đúng đường dẫn được gửi cho điểm cầu của bạn.',
    tokenExpired: 'Đường dẫn vào họp đã hết hạn. Hãy xin văn phòng huyện đường dẫn mới.',
    tokenNotYet: 'Chưa đến giờ dùng đường dẫn này. Hãy mở lại gần giờ họp.',
    tokenRevoked: 'Đường dẫn này đã bị thu hồi. Hãy liên hệ văn phòng huyện.',
    tokenInvalid: 'Đường dẫn vào họp không hợp lệ. Hãy kiểm tra lại đường dẫn đã nhận.',
    meetingMissing: 'Không tìm thấy cuộc họp này.',
    meetingNotOpen: 'Cuộc họp chưa mở. Hãy quay lại gần giờ họp.',
    meetingOver: 'Cuộc họp đã kết thúc.',
    meetingCancelled: 'Cuộc họp đã bị huỷ.',
    meetingLocked: 'Cuộc họp đang khoá, không nhận thêm điểm cầu.',
    alreadyJoined: 'Trang này đã vào cuộc họp rồi. Hãy tải lại trang để vào lại.',
    chairOnly: 'Chỉ chủ trì mới làm được việc này.',
    roleForbidden: 'Vai trò của điểm cầu bạn không được làm việc này.',
    joinFailed: 'Không vào được cuộc họp: {detail}',
    serverUnreachable: 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.',
    // in the meeting
    lobby: 'Phòng chờ – cuộc họp chưa bắt đầu', liveNow: 'Đang họp',
    mute: 'Tắt micrô', unmute: 'Bật micrô', cameraOff: 'Tắt camera', cameraOn: 'Bật camera',
    raiseHand: 'Giơ tay', lowerHand: 'Hạ tay', leave: 'Rời họp', chat: 'Trò chuyện',
    chatPlaceholder: 'Nhập tin nhắn…', send: 'Gửi', you: 'Bạn',
    speaking: 'Đang phát biểu: {name}', nobodySpeaking: 'Chưa ai được phát biểu',
    hall: 'Hội trường', noVideo: 'Không có hình', mutedByChair: 'Chủ trì đã tắt micrô',
    youMuted: 'Chủ trì đã tắt micrô của bạn.', handRaised: 'Đang giơ tay',
    spotlightOn: 'Đang ghim', floorBadge: 'Đang phát biểu', locked: 'Cuộc họp đang khoá', recordingNow: 'Đang ghi hình',
    reconnecting: 'Mất kết nối – đang kết nối lại…', reconnected: 'Đã kết nối lại.',
    siteReconnecting: '{name} mất kết nối – đang chờ kết nối lại', siteReconnected: '{name} đã kết nối lại',
    siteReconnectingBadge: 'Đang kết nối lại…',
    endingSoon: 'Cuộc họp kết thúc sau {minutes} phút.',
    quality: 'Chất lượng đường truyền', qualityDetail: 'mất gói {loss}% · trễ khứ hồi {rtt} ms · gửi lên {up} / nhận về {down} kbit/s',
    joinedEvent: '{name} đã vào họp', leftEvent: '{name} đã rời họp',
    // final screens
    endedTitle: 'Cuộc họp đã kết thúc', endedByChair: 'Chủ trì đã kết thúc cuộc họp.',
    endedSchedule: 'Đã hết giờ họp theo lịch.', endedCancelled: 'Cuộc họp đã bị huỷ.',
    removedTitle: 'Bạn đã được mời ra khỏi cuộc họp', removedText: 'Chủ trì đã mời điểm cầu của bạn rời cuộc họp.',
    replacedTitle: 'Đã mở ở nơi khác', replacedText: 'Điểm cầu này vừa vào họp từ một cửa sổ hoặc máy khác.',
    leftTitle: 'Bạn đã rời cuộc họp', rejoin: 'Vào lại',
    // chair
    chairTitle: 'Điều hành', sitesTitle: 'Các điểm cầu', giveFloor: 'Cho phát biểu', takeFloor: 'Thu lại lời',
    muteSite: 'Tắt tiếng', unmuteSite: 'Bật tiếng', spotlight: 'Ghim', unspotlight: 'Bỏ ghim',
    remove: 'Mời ra', lock: 'Khoá cuộc họp', unlock: 'Mở khoá', endMeeting: 'Kết thúc họp',
    startRecording: 'Ghi hình', stopRecording: 'Dừng ghi hình',
    recordingFailed: 'Ghi hình của {name} bị lỗi ({message}); cuộc họp vẫn tiếp tục.',
    confirmEnd: 'Kết thúc cuộc họp cho tất cả điểm cầu?', confirmRemove: 'Mời {name} ra khỏi cuộc họp?',
    attendance: 'Điểm danh', invited: 'Được mời', present: 'Có mặt', absent: 'Vắng', leftMeeting: 'đã vào rồi rời',
    neverJoined: 'chưa vào',
    actionFailed: 'Không thực hiện được: {detail}',
  },
  en: {
    lang: 'Tiếng Việt',
    appName: 'Diemcau',
    echoTitle: 'Test my link',
    echoIntro: 'The server sends your own picture and sound back, over the same path a meeting uses.',
    start: 'Start', stop: 'Stop', idle: 'Not connected.', local: 'Your camera',
    remote: 'Picture received back from the server', connecting: 'Connecting…',
    live: 'Connected – receiving your picture and sound back.', failed: 'Error: ', stopped: 'Stopped.',
    fps: 'Frames per second received', frames: 'Frames decoded', loss: 'Packets lost (video)',
    jitter: 'Jitter (ms)', rtt: 'Round-trip time (ms)', audio: 'Audio received (s)',
    echoGood: 'Your link is good.', echoFair: 'Your link is fair – the picture may stutter.',
    echoPoor: 'Your link is weak – consider turning the camera off in the meeting.',
    prejoinTitle: 'Get ready to join', camera: 'Camera', microphone: 'Microphone', noneOption: 'None',
    micLevel: 'Microphone level', displayName: 'Display name', displayNameHint: "Default: the site's name",
    join: 'Join the meeting', testLink: 'Test my link', stopTest: 'Stop the test',
    meetingLabel: 'Meeting', siteLabel: 'Site', roleHost: 'Chair', roleSite: 'Site', roleViewer: 'Viewer',
    preview: 'Preview',
    devNoCamera: 'No camera found. You can still join with sound only.',
    devNoMic: 'No microphone found. Plug in a microphone or headset, then reload the page.',
    devDenied: 'The browser blocked the camera and microphone. Click the padlock next to the address, choose "Allow", then reload the page.',
    devBusy: 'Another program is using the camera or microphone. Close it and try again.',
    devInsecure: 'This page needs an https:// address to use the camera and microphone.',
    devOther: 'Could not open the camera or microphone: {detail}',
    noToken: 'This link has no meeting code. Open the exact link sent to your site.',
    tokenExpired: 'This meeting link has expired. Ask the district office for a new one.',
    tokenNotYet: 'This link cannot be used yet. Open it again close to the meeting time.',
    tokenRevoked: 'This link has been withdrawn. Contact the district office.',
    tokenInvalid: 'This meeting link is not valid. Check the link you received.',
    meetingMissing: 'This meeting does not exist.',
    meetingNotOpen: 'The meeting has not opened yet. Come back close to the meeting time.',
    meetingOver: 'The meeting has ended.',
    meetingCancelled: 'The meeting has been cancelled.',
    meetingLocked: 'The meeting is locked and admits no more sites.',
    alreadyJoined: 'This page has already joined the meeting. Reload the page to join again.',
    chairOnly: 'Only the chair can do this.',
    roleForbidden: "Your site's role does not allow this.",
    joinFailed: 'Could not join the meeting: {detail}',
    serverUnreachable: 'Cannot reach the server. Check the network and try again.',
    lobby: 'Lobby – the meeting has not started', liveNow: 'Live',
    mute: 'Mute', unmute: 'Unmute', cameraOff: 'Camera off', cameraOn: 'Camera on',
    raiseHand: 'Raise hand', lowerHand: 'Lower hand', leave: 'Leave', chat: 'Chat',
    chatPlaceholder: 'Type a message…', send: 'Send', you: 'You',
    speaking: 'Has the floor: {name}', nobodySpeaking: 'Nobody has the floor',
    hall: 'Hall', noVideo: 'No video', mutedByChair: 'Muted by the chair',
    youMuted: 'The chair has muted your microphone.', handRaised: 'Hand raised',
    spotlightOn: 'Spotlighted', floorBadge: 'Has the floor', locked: 'The meeting is locked', recordingNow: 'Recording',
    reconnecting: 'Connection lost – reconnecting…', reconnected: 'Reconnected.',
    siteReconnecting: '{name} lost its connection – waiting for it', siteReconnected: '{name} is back',
    siteReconnectingBadge: 'Reconnecting…',
    endingSoon: 'The meeting ends in {minutes} minutes.',
    quality: 'Link quality', qualityDetail: 'loss {loss}% · round trip {rtt} ms · up {up} / down {down} kbit/s',
    joinedEvent: '{name} joined', leftEvent: '{name} left',
    endedTitle: 'The meeting has ended', endedByChair: 'The chair ended the meeting.',
    endedSchedule: 'The scheduled time is over.', endedCancelled: 'The meeting was cancelled.',
    removedTitle: 'You were removed from the meeting', removedText: 'The chair removed your site from the meeting.',
    replacedTitle: 'Opened elsewhere', replacedText: 'This site just joined from another window or computer.',
    leftTitle: 'You left the meeting', rejoin: 'Join again',
    chairTitle: 'Chair', sitesTitle: 'Sites', giveFloor: 'Give the floor', takeFloor: 'Take the floor back',
    muteSite: 'Mute', unmuteSite: 'Unmute', spotlight: 'Spotlight', unspotlight: 'Clear spotlight',
    remove: 'Remove', lock: 'Lock the meeting', unlock: 'Unlock', endMeeting: 'End the meeting',
    startRecording: 'Record', stopRecording: 'Stop recording',
    recordingFailed: 'Recording of {name} failed ({message}); the meeting goes on.',
    confirmEnd: 'End the meeting for every site?', confirmRemove: 'Remove {name} from the meeting?',
    attendance: 'Attendance', invited: 'Invited', present: 'Present', absent: 'Absent', leftMeeting: 'came and left',
    neverJoined: 'not joined',
    actionFailed: 'Could not do that: {detail}',
  },
};

const kStorageKey = 'diemcau.lang';
const listeners = new Set();
let lang = readStoredLang();

function readStoredLang() {
  try { return localStorage.getItem(kStorageKey) === 'en' ? 'en' : 'vi'; } catch { return 'vi'; }
}

export function currentLang() { return lang; }

export function t(key, vars = {}) {
  const text = TEXT[lang][key] ?? TEXT.vi[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

export function applyI18n(root = document) {
  document.documentElement.lang = lang;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
}

export function onLangChange(fn) { listeners.add(fn); }

export function setLang(next) {
  lang = next === 'en' ? 'en' : 'vi';
  try { localStorage.setItem(kStorageKey, lang); } catch { /* private mode: the choice lasts this page */ }
  applyI18n();
  for (const fn of listeners) fn(lang);
}

/// Wires a button that switches between the two languages and shows the other one's name.
export function bindLangButton(button) {
  button.addEventListener('click', () => setLang(lang === 'vi' ? 'en' : 'vi'));
  button.dataset.i18n = 'lang';
}
