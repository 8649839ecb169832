#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace diemcau::tools::ctl {

/// Left-aligned text columns for people; widths count UTF-8 code points, so "Xã Lăng Can" lines up.
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace diemcau::tools::ctl
