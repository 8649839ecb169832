#include "signaling/admin/DemoSeed.hpp"

#include <spdlog/spdlog.h>

namespace diemcau::signaling::admin {

namespace {

struct DemoSite {
  const char* id;
  const char* name;
};

// Communes of a highland district, spelled as their people write them.
constexpr DemoSite kCommunes[] = {
    {"lang-can", "Xã Lăng Can"},     {"ban-phuc", "Xã Bản Phúc"},       {"thuong-lam", "Xã Thượng Lâm"},
    {"khuon-ha", "Xã Khuôn Hà"},     {"phuc-yen", "Xã Phúc Yên"},       {"xuan-lap", "Xã Xuân Lập"},
    {"hong-quang", "Xã Hồng Quang"}, {"thanh-tuong", "Xã Thanh Tương"},
};

}  // namespace

std::string seedDemo(store::Store& store, std::chrono::sys_seconds now) {
  if (!store.listSites().empty()) return {};
  store::Meeting m;
  m.id = "demo";
  m.title = "Giao ban trực tuyến UBND huyện";
  m.agenda = "1. Tình hình kinh tế - xã hội tuần qua\n2. Phòng chống thiên tai\n3. Ý kiến các xã";
  m.hostSiteId = "huyen";
  m.start = now;
  m.end = now + std::chrono::hours{2};
  m.lobbyLead = std::chrono::minutes{10};
  m.createdAt = now;
  store.runInTransaction([&] {
    store.addSite(
        {"huyen", "Hội trường UBND huyện", store::SiteKind::Hall, "Văn phòng HĐND-UBND huyện", now});
    for (const auto& c : kCommunes) {
      store.addSite({c.id, c.name, store::SiteKind::Commune, "", now});
      m.invitedSiteIds.emplace_back(c.id);
    }
    store.addMeeting(m);
    store.appendAudit({0, now, "demo", "demo.seed", m.id, "1 hall, 8 communes"});
  });
  spdlog::info("demo: seeded the hall, {} communes and meeting '{}'", std::size(kCommunes), m.id);
  return m.id;
}

}  // namespace diemcau::signaling::admin
