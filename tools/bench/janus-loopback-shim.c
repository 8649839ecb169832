/*
 * LD_PRELOAD shim for benchmarking Janus on loopback only: Janus skips interfaces flagged
 * IFF_LOOPBACK when it gathers ICE candidates, so with nothing but 127.0.0.1 allowed
 * (ice_enforce_list) it would gather none. This getifaddrs() clears that flag on every entry
 * returned by the real one; nothing else changes.
 *
 *   cc -O2 -shared -fPIC -o janus-loopback.so janus-loopback-shim.c -ldl
 *   LD_PRELOAD=./janus-loopback.so janus -F <config folder>
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <ifaddrs.h>
#include <net/if.h>

int getifaddrs(struct ifaddrs **ifap) {
  int (*real)(struct ifaddrs **) = (int (*)(struct ifaddrs **))dlsym(RTLD_NEXT, "getifaddrs");
  if (real == 0) return -1;
  int rc = real(ifap);
  if (rc == 0) {
    for (struct ifaddrs *entry = *ifap; entry != 0; entry = entry->ifa_next) entry->ifa_flags &= ~(unsigned)IFF_LOOPBACK;
  }
  return rc;
}
