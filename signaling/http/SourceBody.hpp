#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <memory>
#include <utility>
#include <vector>

#include "signaling/http/ByteSource.hpp"

namespace diemcau::signaling::http {

/// A Beast body (serialization only) that pulls from a ByteSource through a fixed 64 KiB buffer.
struct SourceBody {
  using value_type = std::shared_ptr<ByteSource>;

  static std::uint64_t size(const value_type& source) { return source ? source->size() : 0; }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;

    template <bool isRequest, class Fields>
    writer(const boost::beast::http::header<isRequest, Fields>& /*header*/, const value_type& source)
        : source_(source), remaining_(size(source)) {}

    void init(boost::beast::error_code& ec) {
      ec = {};
      buffer_.resize(kChunk);
    }

    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
      ec = {};
      if (!source_ || remaining_ == 0) return boost::none;
      if (!source_->available()) {
        // Nothing buffered yet: the serializer keeps its place and the session waits for the source.
        ec = boost::beast::http::error::need_more;
        return boost::none;
      }
      std::size_t produced = 0;
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, buffer_.size()));
      if (!source_->read(std::span<char>(buffer_.data(), want), produced) || produced == 0 || produced > want) {
        // The announced length can no longer be met: fail the write so the connection closes.
        ec = boost::asio::error::make_error_code(boost::asio::error::broken_pipe);
        return boost::none;
      }
      remaining_ -= produced;
      return std::make_pair(const_buffers_type(buffer_.data(), produced), remaining_ > 0);
    }

   private:
    static constexpr std::size_t kChunk = 64 * 1024;
    value_type source_;
    std::uint64_t remaining_;
    std::vector<char> buffer_;
  };
};

}  // namespace diemcau::signaling::http
