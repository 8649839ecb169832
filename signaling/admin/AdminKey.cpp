#include "signaling/admin/AdminKey.hpp"

#include "signaling/tokens/SecretFile.hpp"

namespace diemcau::signaling::admin {

AdminKey loadOrCreateAdminKey(const std::filesystem::path& dataDir) {
  auto path = dataDir / "admin.key";
  if (auto existing = tokens::readSecretFile(path)) {
    if (existing->size() < 32)
      throw tokens::SecretFileError(path.string() + " holds a key that is too short");
    return AdminKey{*existing, false};
  }
  AdminKey fresh{tokens::randomHex(32), true};
  tokens::writeSecretFile(path, fresh.key);
  return fresh;
}

}  // namespace diemcau::signaling::admin
