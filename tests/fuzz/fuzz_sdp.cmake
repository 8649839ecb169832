diemcau_fuzz_target(fuzz_sdp SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_sdp.cpp DEPS diemcau_media_sdp)
