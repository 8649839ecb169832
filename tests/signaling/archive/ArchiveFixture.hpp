#pragma once
// A district meeting's event log, as the meeting service writes it: the hall chairs, three communes
// join; Na Hang loses its connection and rejoins, Lang Can is muted for a while and gets the floor,
// Thuong Lam was invited and never came. Times are UTC; the meeting is in Asia/Ho_Chi_Minh (+07:00).
#include <string>

#include "signaling/store/Meeting.hpp"

namespace diemcau::signaling::archive::test {

inline store::Meeting districtMeeting() {
  store::Meeting meeting;
  meeting.id = "giao-ban-20261201";
  meeting.title = "Giao ban tháng 12";
  meeting.agenda = "1. Báo cáo\n2. Thảo luận";
  meeting.hostSiteId = "huyen";
  meeting.invitedSiteIds = {"lang-can", "na-hang", "son-phu", "thuong-lam"};
  meeting.timeZone = "Asia/Ho_Chi_Minh";
  return meeting;
}

inline std::string districtEvents() {
  return R"({"at":"2026-12-01T01:00:00.000Z","type":"room.created"}
{"at":"2026-12-01T01:00:00.100Z","type":"participant.joined","participant":{"displayName":"Hội trường UBND huyện","id":"huyen","role":"host"},"remoteAddress":"10.1.0.5:51432","replacing":false}
{"at":"2026-12-01T01:01:00.000Z","type":"participant.joined","participant":{"displayName":"Xã Lăng Can","id":"lang-can","role":"site"},"replacing":false}
{"at":"2026-12-01T01:02:00.000Z","type":"participant.joined","participant":{"displayName":"Xã Na Hang","id":"na-hang","role":"site"},"replacing":false}
{"at":"2026-12-01T01:03:00.000Z","type":"participant.joined","participant":{"displayName":"Xã Sơn Phú","id":"son-phu","role":"site"},"replacing":false}
{"at":"2026-12-01T01:05:00.000Z","type":"track.added","track":{"id":"lang-can.audio","participant":"lang-can","kind":"audio"},"codec":"opus"}
{"at":"2026-12-01T01:10:00.000Z","type":"participant.left","participant":"na-hang","reason":"connection lost","transport":"publish","detail":"ICE consent lost"}
{"at":"2026-12-01T01:12:00.000Z","type":"mute.changed","by":"huyen","participant":"lang-can","audioMuted":true}
{"at":"2026-12-01T01:15:00.000Z","type":"participant.joined","participant":{"displayName":"Xã Na Hang","id":"na-hang","role":"site"},"replacing":false}
this line was cut by a crash
{"at":"2026-12-01T01:20:00.000Z","type":"mute.changed","by":"huyen","participant":"lang-can","audioMuted":false}
{"at":"2026-12-01T01:21:00.000Z","type":"hand.changed","participant":"lang-can","raised":true}
{"at":"2026-12-01T01:22:00.000Z","type":"hand.changed","by":"huyen","participant":"lang-can","raised":false}
{"at":"2026-12-01T01:22:00.001Z","type":"floor.changed","by":"huyen","participant":"lang-can"}
{"at":"2026-12-01T01:27:00.000Z","type":"chat","from":"lang-can","text":"Xã Lăng Can báo cáo xong.","at2":"x"}
{"at":"2026-12-01T01:28:00.001Z","type":"floor.changed","by":"huyen","participant":null}
{"at":"2026-12-01T01:29:00.000Z","type":"recording.started","participant":"son-phu","file":"son-phu-20261201T010300Z.mkv"}
{"at":"2026-12-01T01:29:30.000Z","type":"recording.stopped","participant":"son-phu","file":"son-phu-20261201T010300Z.mkv","droppedPackets":3}
{"at":"2026-12-01T01:30:00.000Z","type":"meeting.ended","by":"huyen","reason":"ended by the chair"}
{"at":"2026-12-01T01:30:00.500Z","type":"room.closed"}
)";
}

}  // namespace diemcau::signaling::archive::test
