diemcau_fuzz_target(fuzz_rtcp SOURCE ${CMAKE_CURRENT_LIST_DIR}/fuzz_rtcp.cpp DEPS diemcau_media_rtp)
