diemcau_fuzz_target(fuzz_rtp SOURCE ${CMAKE_CURRENT_LIST_DIR}/fuzz_rtp.cpp DEPS diemcau_media_rtp)
