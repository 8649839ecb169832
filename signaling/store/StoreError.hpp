#pragma once

#include <stdexcept>
#include <string>

namespace diemcau::signaling::store {

/// Base of the store's control-plane errors.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The object named does not exist.
class NotFoundError : public StoreError {
 public:
  using StoreError::StoreError;
};

/// The write clashes with what is stored: duplicate id, object still referenced.
class ConflictError : public StoreError {
 public:
  using StoreError::StoreError;
};

}  // namespace diemcau::signaling::store
