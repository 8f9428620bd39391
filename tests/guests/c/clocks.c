/* Clocks, sleeping, polling, randomness, yielding and signals.
   usage: clocks [--sleep-forever] (stdin: the e2e test sends "ready\n") */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"

static uint64_t now(__wasi_clockid_t id) {
  __wasi_timestamp_t t = 0;
  (void)__wasi_clock_time_get(id, 1, &t);
  return t;
}

static __wasi_subscription_t clock_sub(uint64_t userdata, __wasi_clockid_t id, uint64_t timeout, int abs) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = id;
  s.u.u.clock.timeout = timeout;
  s.u.u.clock.flags = abs ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
  return s;
}

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "--sleep-forever") == 0) {
    printf("sleeping\n");
    fflush(stdout);
    sleep(3600);
    printf("woke up\n");
    return 0;
  }
  struct timespec res, ts;
  printf("clock_getres realtime: %s\n", clock_getres(CLOCK_REALTIME, &res) == 0 && (res.tv_sec || res.tv_nsec) ? "OK" : "bad");
  printf("clock_getres monotonic: %s\n", clock_getres(CLOCK_MONOTONIC, &res) == 0 ? "OK" : "bad");
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("realtime after 2020: %s\n", ts.tv_sec > 1577836800 ? "yes" : "no");
  printf("time() agrees: %s\n", labs((long)(time(NULL) - ts.tv_sec)) <= 2 ? "yes" : "no");
  __wasi_timestamp_t r;
  RAW("clock_res_get process cputime", __wasi_clock_res_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, &r));
  RAW("clock_time_get thread cputime", __wasi_clock_time_get(__WASI_CLOCKID_THREAD_CPUTIME_ID, 0, &r));
  RAW("clock_time_get clock 9", __wasi_clock_time_get(9, 0, &r));

  uint64_t a = now(__WASI_CLOCKID_MONOTONIC), b = now(__WASI_CLOCKID_MONOTONIC);
  printf("monotonic never goes back: %s\n", b >= a ? "yes" : "no");
  struct timespec req = {0, 50 * 1000 * 1000};
  nanosleep(&req, NULL);
  uint64_t c = now(__WASI_CLOCKID_MONOTONIC);
  printf("nanosleep 50ms slept at least 50ms: %s\n", c - b >= 50000000u ? "yes" : "no");
  printf("and less than 5s: %s\n", c - b < 5000000000u ? "yes" : "no");

  /* poll_oneoff: the earlier of two relative clocks fires first. */
  __wasi_subscription_t subs[3];
  __wasi_event_t events[3];
  __wasi_size_t nevents = 0;
  subs[0] = clock_sub(11, __WASI_CLOCKID_MONOTONIC, 30000000, 0);
  subs[1] = clock_sub(22, __WASI_CLOCKID_MONOTONIC, 10000000, 0);
  RAW("poll two clocks", __wasi_poll_oneoff(subs, events, 2, &nevents));
  printf("events: %lu, first userdata %llu\n", (unsigned long)nevents, (unsigned long long)events[0].userdata);
  /* An absolute deadline on the realtime clock 20ms ahead. */
  subs[0] = clock_sub(33, __WASI_CLOCKID_REALTIME, now(__WASI_CLOCKID_REALTIME) + 20000000, 1);
  uint64_t before = now(__WASI_CLOCKID_MONOTONIC);
  RAW("poll absolute realtime", __wasi_poll_oneoff(subs, events, 1, &nevents));
  printf("waited at least 15ms: %s\n", now(__WASI_CLOCKID_MONOTONIC) - before >= 15000000u ? "yes" : "no");
  RAW("poll nothing", __wasi_poll_oneoff(subs, events, 0, &nevents));
  subs[0] = clock_sub(44, 2, 1000, 0);
  RAW("poll on a cputime clock", __wasi_poll_oneoff(subs, events, 1, &nevents));

  /* stdin (a pipe from the test) and stdout: wait until readable, with a timeout. */
  struct pollfd pfd[2] = {{0, POLLIN, 0}, {1, POLLOUT, 0}};
  int ready = poll(pfd, 2, 5000);
  printf("poll stdin+stdout: %d ready, stdin %s, stdout %s\n", ready, (pfd[0].revents & POLLIN) ? "readable" : "-",
         (pfd[1].revents & POLLOUT) ? "writable" : "-");
  char line[64] = {0};
  if (fgets(line, sizeof line, stdin)) printf("stdin said: %s", line);

  /* randomness */
  unsigned char x[32] = {0}, y[32] = {0};
  printf("getentropy: %s\n", getentropy(x, sizeof x) == 0 ? "OK" : errname(errno));
  RAW("random_get", __wasi_random_get(y, sizeof y));
  int zeros = 0;
  for (int i = 0; i < 32; ++i) zeros += x[i] == 0;
  printf("random bytes look random: %s\n", zeros < 8 && memcmp(x, y, 32) != 0 ? "yes" : "no");
  static unsigned char big[1 << 20];
  RAW("random_get 1 MiB", __wasi_random_get(big, sizeof big));
  RAW("random_get outside memory", __wasi_random_get((uint8_t*)0xfffffff0u, 64));

  RAW("sched_yield", __wasi_sched_yield());
  RAW("proc_raise SIGUSR1", guest_proc_raise(10));
  RAW("proc_raise 99", guest_proc_raise(99));
  printf("done\n");
  return 0;
}
