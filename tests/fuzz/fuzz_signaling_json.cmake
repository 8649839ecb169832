# The fuzz build skips signaling/, so the protocol library is built here from its own folder.
if(NOT TARGET diemcau_signaling_protocol)
  add_subdirectory(${PROJECT_SOURCE_DIR}/signaling/protocol ${CMAKE_BINARY_DIR}/fuzz-signaling-protocol)
endif()
diemcau_fuzz_target(fuzz_signaling_json SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_signaling_json.cpp
                    DEPS diemcau_signaling_protocol)
