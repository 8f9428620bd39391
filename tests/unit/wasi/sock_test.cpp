// sock_accept, sock_recv, sock_send, sock_shutdown on a pre-opened listening socket, with a
// real TCP client on 127.0.0.1.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <thread>

#include "wasi/socket.h"
#include "wasi_fixture.h"

namespace bantam::wasi {
namespace {

class WasiSock : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = listenTcp("127.0.0.1:0");
    ASSERT_TRUE(l.has_value());
    address = localAddress((*l)->fd());
    port = static_cast<uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
    WasiConfig c;
    auto fs = MemFilesystem::create();
    c.preopens.push_back(PreopenDir{"/", fs->root(), false});
    c.sockets.push_back(std::move(*l));
    ctx = *WasiCtx::create(std::move(c));
  }
  int connectClient() {
    int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a = {};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    return s;
  }
  uint32_t put(std::string_view s) {
    uint32_t p = next;
    std::memcpy(memory.data() + p, s.data(), s.size());
    next += static_cast<uint32_t>(s.size() + 8) & ~7u;
    return p;
  }
  uint32_t iov(uint32_t buf, uint32_t len) {
    uint32_t a = put(std::string(8, '\0'));
    std::memcpy(memory.data() + a, &buf, 4);
    std::memcpy(memory.data() + a + 4, &len, 4);
    return a;
  }
  uint32_t u32(uint32_t p) const {
    uint32_t v;
    std::memcpy(&v, memory.data() + p, 4);
    return v;
  }

  static constexpr uint32_t kListener = 4;  // after stdio and the one pre-opened directory
  std::vector<uint8_t> memory = std::vector<uint8_t>(1 << 16);
  GuestMemory mem{memory};
  uint32_t next = 256;
  std::string address;
  uint16_t port = 0;
  std::unique_ptr<WasiCtx> ctx;
};

TEST_F(WasiSock, ListenerComesAfterThePreopens) {
  uint32_t out = put(std::string(24, '\0'));
  ASSERT_EQ(p1::fdFdstatGet(*ctx, mem, kListener, out), Errno::Success);
  EXPECT_EQ(memory[out], static_cast<uint8_t>(Filetype::SocketStream));
  EXPECT_EQ(p1::fdPrestatGet(*ctx, mem, kListener, out), Errno::Badf);
}

TEST_F(WasiSock, AcceptRecvSendShutdown) {
  int client = connectClient();
  uint32_t fdOut = put("    ");
  ASSERT_EQ(p1::sockAccept(*ctx, mem, kListener, 0, fdOut), Errno::Success);
  uint32_t conn = u32(fdOut);
  EXPECT_EQ(conn, 5u);

  ASSERT_EQ(::send(client, "ping", 4, 0), 4);
  uint32_t buf = put(std::string(16, '\0')), v = iov(buf, 16), n = put("    "), ro = put("    ");
  // Peek first: the data stays.
  ASSERT_EQ(p1::sockRecv(*ctx, mem, conn, v, 1, kRecvPeek, n, ro), Errno::Success);
  ASSERT_EQ(p1::sockRecv(*ctx, mem, conn, v, 1, 0, n, ro), Errno::Success);
  EXPECT_EQ(u32(n), 4u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(memory.data() + buf), 4), "ping");
  EXPECT_EQ(memory[ro], 0);

  uint32_t data = put("pong!"), sv = iov(data, 5);
  ASSERT_EQ(p1::sockSend(*ctx, mem, conn, sv, 1, 0, n), Errno::Success);
  EXPECT_EQ(u32(n), 5u);
  char got[8] = {};
  ASSERT_EQ(::recv(client, got, 5, MSG_WAITALL), 5);
  EXPECT_EQ(std::string(got, 5), "pong!");

  // fd_write and fd_read work on a connection too.
  ASSERT_EQ(p1::fdWrite(*ctx, mem, conn, sv, 1, n), Errno::Success);
  ASSERT_EQ(::recv(client, got, 5, MSG_WAITALL), 5);

  ASSERT_EQ(p1::sockShutdown(*ctx, mem, conn, kShutWr), Errno::Success);
  EXPECT_EQ(::recv(client, got, sizeof got, 0), 0);  // the client sees the end
  ::close(client);
  ASSERT_EQ(p1::sockRecv(*ctx, mem, conn, v, 1, 0, n, ro), Errno::Success);
  EXPECT_EQ(u32(n), 0u);
  EXPECT_EQ(p1::fdClose(*ctx, mem, conn), Errno::Success);
}

TEST_F(WasiSock, PollWaitsForAConnection) {
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ::close(connectClient());
  });
  uint32_t in = put(std::string(48, '\0')), out = put(std::string(32, '\0')), n = put("    ");
  memory[in + 8] = 1;  // fd_read on the listener: a connection is waiting
  std::memcpy(memory.data() + in + 16, &kListener, 4);
  auto r = p1::pollOneoff(*ctx, mem, in, out, 1, n);
  t.join();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, Errno::Success);
  EXPECT_EQ(u32(n), 1u);
}

TEST_F(WasiSock, ArgumentsAndKindsAreChecked) {
  uint32_t out = put("        "), v = iov(put("x"), 1);
  EXPECT_EQ(p1::sockAccept(*ctx, mem, 0, 0, out), Errno::Notsock);       // stdin
  EXPECT_EQ(p1::sockAccept(*ctx, mem, 3, 0, out), Errno::Notsock);       // a directory
  EXPECT_EQ(p1::sockAccept(*ctx, mem, 99, 0, out), Errno::Badf);
  EXPECT_EQ(p1::sockAccept(*ctx, mem, kListener, 0x40, out), Errno::Inval);
  EXPECT_EQ(p1::sockAccept(*ctx, mem, kListener, fdflags::kAppend, out), Errno::Inval);
  EXPECT_EQ(p1::sockRecv(*ctx, mem, 1, v, 1, 0, out, out + 4), Errno::Notsock);
  EXPECT_EQ(p1::sockRecv(*ctx, mem, kListener, v, 1, 4, out, out + 4), Errno::Inval);
  EXPECT_EQ(p1::sockSend(*ctx, mem, kListener, v, 1, 1, out), Errno::Inval);
  EXPECT_EQ(p1::sockShutdown(*ctx, mem, kListener, 0), Errno::Inval);
  EXPECT_EQ(p1::sockShutdown(*ctx, mem, kListener, 4), Errno::Inval);
  // The listener may accept but not read, write or shut down.
  EXPECT_EQ(p1::sockSend(*ctx, mem, kListener, v, 1, 0, out), Errno::Notcapable);
  EXPECT_EQ(p1::sockShutdown(*ctx, mem, kListener, kShutRd), Errno::Notcapable);
}

TEST_F(WasiSock, NonblockingAcceptWithNoClientIsAgain) {
  uint32_t out = put("    ");
  ASSERT_EQ(p1::fdFdstatSetFlags(*ctx, mem, kListener, fdflags::kNonblock), Errno::Success);
  EXPECT_EQ(p1::sockAccept(*ctx, mem, kListener, 0, out), Errno::Again);
}

TEST(WasiSockListen, BadAddressesAreUsageErrors) {
  EXPECT_FALSE(listenTcp("127.0.0.1").has_value());
  EXPECT_FALSE(listenTcp("nonsense:80x").has_value());
  auto v6 = listenTcp("[::1]:0");
  if (v6) EXPECT_NE(localAddress((*v6)->fd()).find("[::1]:"), std::string::npos);
}

}  // namespace
}  // namespace bantam::wasi
