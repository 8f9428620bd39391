/* A one-connection echo server on a pre-opened listening socket (bantam run --tcplisten):
   waits for a connection with poll_oneoff, accepts it, peeks and reads a line, answers it in
   upper case, shuts down writing and closes. usage: sockets */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "guest.h"

int main(void) {
  __wasi_fd_t listener = 0;
  for (__wasi_fd_t fd = 3; fd < 64; ++fd) {
    __wasi_fdstat_t st;
    if (__wasi_fd_fdstat_get(fd, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM) {
      listener = fd;
      break;
    }
  }
  printf("listener found: %s\n", listener ? "yes" : "no");
  fflush(stdout);
  if (!listener) return 1;

  __wasi_subscription_t sub;
  memset(&sub, 0, sizeof sub);
  sub.userdata = 7;
  sub.u.tag = __WASI_EVENTTYPE_FD_READ;
  sub.u.u.fd_read.file_descriptor = listener;
  __wasi_event_t ev;
  __wasi_size_t n = 0;
  RAW("poll listener", __wasi_poll_oneoff(&sub, &ev, 1, &n));
  printf("events: %lu userdata %llu\n", (unsigned long)n, (unsigned long long)ev.userdata);

  __wasi_fd_t conn;
  RAW("sock_accept", __wasi_sock_accept(listener, 0, &conn));
  char buf[128] = {0};
  __wasi_iovec_t iov = {(uint8_t*)buf, 5};
  __wasi_size_t got = 0;
  __wasi_roflags_t ro = 0;
  RAW("sock_recv peek", __wasi_sock_recv(conn, &iov, 1, __WASI_RIFLAGS_RECV_PEEK | __WASI_RIFLAGS_RECV_WAITALL, &got, &ro));
  printf("peeked: %.*s\n", (int)got, buf);
  size_t total = 0;
  while (total < sizeof buf - 1 && (total == 0 || buf[total - 1] != '\n')) {
    iov.buf = (uint8_t*)buf + total;
    iov.buf_len = sizeof buf - 1 - total;
    if (__wasi_sock_recv(conn, &iov, 1, 0, &got, &ro) != 0 || got == 0) break;
    total += got;
  }
  printf("received: %s", buf);
  for (size_t i = 0; i < total; ++i) buf[i] = (char)toupper((unsigned char)buf[i]);
  __wasi_ciovec_t civ = {(const uint8_t*)buf, total};
  __wasi_size_t sent = 0;
  RAW("sock_send", __wasi_sock_send(conn, &civ, 1, 0, &sent));
  printf("sent %lu bytes\n", (unsigned long)sent);
  RAW("sock_shutdown", __wasi_sock_shutdown(conn, __WASI_SDFLAGS_WR));
  RAW("sock_send after shutdown", __wasi_sock_send(conn, &civ, 1, 0, &sent));
  RAW("sock_recv on stdout", __wasi_sock_recv(1, &iov, 1, 0, &got, &ro));
  RAW("sock_accept on the connection", __wasi_sock_accept(conn, 0, &conn));
  RAW("fd_close", __wasi_fd_close(conn));
  printf("done\n");
  return 0;
}
