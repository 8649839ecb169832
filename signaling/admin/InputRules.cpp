#include "signaling/admin/InputRules.hpp"

#include "signaling/admin/ApiError.hpp"

namespace diemcau::signaling::admin {

bool isValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

bool isSlug(std::string_view s) {
  if (s.empty() || s.size() > 63 || s.front() == '-') return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

std::optional<std::string> optionalText(const nlohmann::json& body, const char* name, std::size_t maxBytes,
                                        bool multiline, bool allowEmpty) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw ApiError::invalid(name, std::string(name) + " must be a string");
  const auto& text = it->get_ref<const std::string&>();
  if (text.size() > maxBytes) {
    throw ApiError::invalid(name,
                            std::string(name) + " is longer than " + std::to_string(maxBytes) + " bytes");
  }
  if (!isValidUtf8(text)) throw ApiError::invalid(name, std::string(name) + " is not valid UTF-8");
  for (unsigned char c : text) {
    if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t' || c == '\r'))) || c == 0x7f) {
      throw ApiError::invalid(name, std::string(name) + " contains control characters");
    }
  }
  if (!allowEmpty && text.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw ApiError::invalid(name, std::string(name) + " must not be empty");
  }
  return text;
}

std::string requiredText(const nlohmann::json& body, const char* name, std::size_t maxBytes, bool multiline) {
  auto text = optionalText(body, name, maxBytes, multiline);
  if (!text) throw ApiError::invalid(name, std::string(name) + " is required");
  return *text;
}

}  // namespace diemcau::signaling::admin
