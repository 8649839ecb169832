# Header-only use of Beast; ServerContext.hpp brings the limits the server applies.
if(NOT TARGET diemcau_signaling_protocol)
  add_subdirectory(${PROJECT_SOURCE_DIR}/signaling/protocol ${CMAKE_BINARY_DIR}/fuzz-signaling-protocol)
endif()
diemcau_fuzz_target(fuzz_http SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_http.cpp
                    DEPS diemcau_signaling_protocol Boost::headers)
target_include_directories(fuzz_http PRIVATE ${PROJECT_SOURCE_DIR})
