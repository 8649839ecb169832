diemcau_fuzz_target(fuzz_srtp_protect SOURCE ${CMAKE_CURRENT_LIST_DIR}/fuzz_srtp_protect.cpp DEPS diemcau_media_srtp)
