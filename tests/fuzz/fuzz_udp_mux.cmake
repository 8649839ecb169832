diemcau_fuzz_target(fuzz_udp_mux SOURCE ${CMAKE_CURRENT_LIST_DIR}/fuzz_udp_mux.cpp DEPS diemcau_media_ice)
