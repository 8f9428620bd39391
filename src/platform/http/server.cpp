// The Beast server: listeners, event loops and connections (the only Beast translation unit).
#include "platform/http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <charconv>
#include <condition_variable>
#include <ctime>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

namespace bantam::platform {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// The loop this thread runs (postToThisLoop), null on other threads.
thread_local asio::io_context* tLoop = nullptr;

// An IMF-fixdate for the Date header (RFC 9110 §6.6.1: origin servers with a clock send it),
// formatted once per second per thread.
std::string_view httpDate() {
  thread_local time_t cachedSecond = -1;
  thread_local char cached[40];
  time_t now = std::time(nullptr);
  if (now != cachedSecond) {
    struct tm tm;
    gmtime_r(&now, &tm);
    std::strftime(cached, sizeof cached, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cachedSecond = now;
  }
  return cached;
}

}  // namespace

Result<std::pair<std::string, uint16_t>> parseListenAddress(const std::string& text) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size())
    return fail(ErrorKind::Usage, "listen address \"" + text + "\" has no port (expected HOST:PORT, e.g. 127.0.0.1:3000)");
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  unsigned port = 0;
  auto [p, ec] = std::from_chars(text.data() + colon + 1, text.data() + text.size(), port);
  if (ec != std::errc() || p != text.data() + text.size() || port > 65535)
    return fail(ErrorKind::Usage, "listen address \"" + text + "\" has an invalid port");
  return std::pair{host, static_cast<uint16_t>(port)};
}

class Session;

struct HttpServer::Impl {
  ServerOptions options;
  Handler handlers[2];  // main, admin
  std::vector<std::unique_ptr<asio::io_context>> loops;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::vector<std::thread> threads;
  std::unique_ptr<tcp::acceptor> acceptors[2];
  std::atomic<size_t> nextLoop{0};
  std::atomic<bool> draining{false};

  std::mutex sessionsMutex;
  std::condition_variable sessionsDone;
  std::unordered_set<Session*> sessions;
  bool drained = false;

  // Sessions still queued in a loop hold sockets of that loop: the loops go first, while the
  // registry they remove themselves from still exists.
  ~Impl() {
    for (auto& a : acceptors) a.reset();
    guards.clear();
    loops.clear();
  }

  void accept(int which);
  void add(Session* s) {
    std::lock_guard lock(sessionsMutex);
    sessions.insert(s);
  }
  void remove(Session* s) {
    std::lock_guard lock(sessionsMutex);
    sessions.erase(s);
    if (sessions.empty()) sessionsDone.notify_all();
  }
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(HttpServer::Impl& server, tcp::socket socket, int which)
      : server_(server), socket_(std::move(socket)), which_(which) {
    server_.add(this);
  }
  ~Session() { server_.remove(this); }

  void start() {
    beast::error_code ec;
    socket_.set_option(tcp::no_delay(true), ec);
    tcp::endpoint remote = socket_.remote_endpoint(ec);
    if (!ec) {
      remoteAddr_ = remote.address().to_string();
      remotePort_ = remote.port();
    }
    readHeader();
  }

  // Drain: a connection waiting for its next request is closed now; one with a request in
  // progress is closed after its response.
  void closeIfIdle() {
    if (!busy_) {
      beast::error_code ec;
      socket_.close(ec);
    }
  }

  asio::any_io_executor executor() { return socket_.get_executor(); }

 private:
  void readHeader() {
    busy_ = false;
    head_ = false;
    if (server_.draining.load(std::memory_order_relaxed)) return close();
    parser_.emplace();
    parser_->header_limit(server_.options.maxHeaderBytes);
    parser_->body_limit(server_.options.maxBodyBytes);
    http::async_read_header(socket_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, size_t) { self->onHeader(ec); });
  }

  void onHeader(beast::error_code ec) {
    if (ec) return onReadError(ec);
    busy_ = true;
    auto& req = parser_->get();
    auto expect = req[http::field::expect];
    if (beast::iequals(expect, "100-continue") && !parser_->is_done()) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = shared_from_this()](beast::error_code ec, size_t) {
                          if (ec) return self->close();
                          self->readBody();
                        });
      return;
    }
    readBody();
  }

  void readBody() {
    http::async_read(socket_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) { self->onRead(ec); });
  }

  void onReadError(beast::error_code ec) {
    unsigned status = 0;
    if (ec == http::error::body_limit) status = 413;
    else if (ec == http::error::header_limit) status = 431;
    else if (&ec.category() == &http::make_error_code(http::error::bad_method).category() &&
             ec != http::error::end_of_stream && ec != http::error::partial_message)
      status = 400;
    if (status == 0) return close();
    HttpRequest partial = takeRequest(/*withBody=*/false);
    if (server_.options.onRejected) server_.options.onRejected(partial, status);
    keepAlive_ = false;
    const char* text = status == 413   ? "Payload Too Large\n"
                       : status == 431 ? "Request Header Fields Too Large\n"
                                       : "Bad Request\n";
    write(HttpResponse::text(static_cast<uint16_t>(status), text));
  }

  HttpRequest takeRequest(bool withBody) {
    HttpRequest r;
    auto& req = parser_->get();
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    r.version = req.version() == 10 ? 10 : 11;
    r.headers.reserve(16);
    for (const auto& field : req) r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    if (withBody) r.body = std::move(req.body());
    r.remoteAddr = remoteAddr_;
    r.remotePort = remotePort_;
    return r;
  }

  void onRead(beast::error_code ec) {
    if (ec) return onReadError(ec);
    keepAlive_ = parser_->get().keep_alive();
    version_ = parser_->get().version();
    head_ = parser_->get().method() == http::verb::head;
    HttpRequest request = takeRequest(/*withBody=*/true);
    // The handler may answer on another thread: the write goes back to this connection's loop
    // (dispatch runs it at once when the answer comes from the loop itself).
    server_.handlers[which_](std::move(request), [self = shared_from_this()](HttpResponse response) {
      asio::dispatch(self->executor(),
                     [self, response = std::move(response)]() mutable { self->write(std::move(response)); });
    });
  }

  void write(HttpResponse r) {
    // A handler's answer is a final response: an interim status (1xx) from a guest cannot be
    // sent as one (the client would wait for the real response), so it is the guest's error.
    if (r.status < 200 || r.status > 999) r = HttpResponse::text(502, "Bad Gateway\n");
    auto& res = response_;
    res = {};
    res.version(version_ == 10 ? 10 : 11);
    res.result(r.status);
    std::string_view date = httpDate();
    res.set(http::field::date, beast::string_view(date.data(), date.size()));
    for (auto& [name, value] : r.headers) res.insert(beast::string_view(name), beast::string_view(value));
    bool keep = keepAlive_ && !server_.draining.load(std::memory_order_relaxed);
    res.keep_alive(keep);
    // Framing (RFC 9110 §6.4.1, §8.6): 204 and 304 responses have no body and a 204 no
    // Content-Length (a guest's body for them is dropped, as hyper drops it); a response to
    // HEAD announces the length of the body it does not send.
    if (r.status == 204 || r.status == 304) {
      res.body().clear();
    } else if (head_) {
      res.content_length(r.body.size());
    } else {
      res.body() = std::move(r.body);
      if (r.chunked && version_ != 10) res.chunked(true);
      else res.content_length(res.body().size());
    }
    http::async_write(socket_, res, [self = shared_from_this(), keep](beast::error_code ec, size_t) {
      if (ec || !keep) return self->close();
      self->readHeader();
    });
  }

  void close() {
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    socket_.close(ec);
  }

  HttpServer::Impl& server_;
  tcp::socket socket_;
  int which_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  std::string remoteAddr_;
  uint16_t remotePort_ = 0;
  bool keepAlive_ = true;
  unsigned version_ = 11;
  bool busy_ = false;  // a request is being read, handled or answered
  bool head_ = false;  // the request being answered is a HEAD
};

void HttpServer::Impl::accept(int which) {
  asio::io_context& target = *loops[nextLoop.fetch_add(1, std::memory_order_relaxed) % loops.size()];
  acceptors[which]->async_accept(target, [this, which](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptors[which] || !acceptors[which]->is_open()) return;
    if (!ec) {
      auto session = std::make_shared<Session>(*this, std::move(socket), which);
      asio::post(session->executor(), [session] { session->start(); });
    }
    accept(which);
  });
}

Result<std::unique_ptr<HttpServer>> HttpServer::start(ServerOptions options, Handler main, Handler admin) {
  std::unique_ptr<HttpServer> server(new HttpServer());
  auto impl = std::make_unique<Impl>();
  Impl& s = *impl;
  s.options = std::move(options);
  s.handlers[0] = std::move(main);
  s.handlers[1] = std::move(admin);
  unsigned threads = s.options.threads ? s.options.threads : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < threads; ++i) {
    s.loops.push_back(std::make_unique<asio::io_context>(1));
    s.guards.push_back(asio::make_work_guard(*s.loops.back()));
  }

  auto bind = [&](const std::string& text, int which) -> Result<uint16_t> {
    auto [host, port] = BANTAM_TRY(parseListenAddress(text));
    beast::error_code ec;
    asio::ip::address address = asio::ip::make_address(host, ec);
    if (ec) {
      tcp::resolver resolver(*s.loops[0]);
      auto results = resolver.resolve(host, std::to_string(port), ec);
      if (ec || results.empty())
        return fail(ErrorKind::Usage, "cannot resolve the listen address \"" + text + "\": " + ec.message());
      address = results.begin()->endpoint().address();
    }
    tcp::endpoint endpoint(address, port);
    auto acceptor = std::make_unique<tcp::acceptor>(*s.loops[0]);
    acceptor->open(endpoint.protocol(), ec);
    if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor->bind(endpoint, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      Error e = Error::make(ErrorKind::Io, "cannot listen on " + text + ": " + ec.message());
      if (ec == asio::error::address_in_use) e.hint = "another program uses that port: choose another with --listen";
      return std::unexpected(std::move(e));
    }
    uint16_t bound = acceptor->local_endpoint().port();
    s.acceptors[which] = std::move(acceptor);
    return bound;
  };
  server->port_ = BANTAM_TRY(bind(s.options.listen, 0));
  server->host_ = parseListenAddress(s.options.listen)->first;
  if (!s.options.adminListen.empty()) server->adminPort_ = BANTAM_TRY(bind(s.options.adminListen, 1));

  for (int which = 0; which < 2; ++which)
    if (s.acceptors[which]) s.accept(which);
  for (auto& loop : s.loops) {
    asio::io_context* io = loop.get();
    s.threads.emplace_back([io] {
      tLoop = io;
      io->run();
      tLoop = nullptr;
    });
  }
  server->impl_ = std::move(impl);
  return server;
}

bool postToThisLoop(void (*fn)(void*), void* arg) {
  if (tLoop == nullptr) return false;
  asio::post(*tLoop, [fn, arg] { fn(arg); });
  return true;
}

bool runOnThisLoopAfter(std::chrono::nanoseconds delay, void (*fn)(void*), void* arg) {
  if (tLoop == nullptr) return false;
  auto timer = std::make_shared<asio::steady_timer>(*tLoop, delay);
  timer->async_wait([timer, fn, arg](const boost::system::error_code&) { fn(arg); });
  return true;
}

bool HttpServer::drain(std::chrono::milliseconds deadline) {
  if (!impl_ || impl_->drained) return true;
  Impl& s = *impl_;
  s.draining.store(true);
  // Stop accepting (on the acceptors' loop), then close what is idle.
  std::promise<void> closed;
  asio::post(*s.loops[0], [&s, &closed] {
    for (auto& a : s.acceptors) {
      beast::error_code ec;
      if (a) a->close(ec);
    }
    closed.set_value();
  });
  closed.get_future().wait();
  {
    std::lock_guard lock(s.sessionsMutex);
    for (Session* session : s.sessions) {
      // The session may end meanwhile: reach it through its loop, by a weak reference.
      std::weak_ptr<Session> weak = session->weak_from_this();
      asio::post(session->executor(), [weak] {
        if (auto live = weak.lock()) live->closeIfIdle();
      });
    }
  }
  bool finished;
  {
    std::unique_lock lock(s.sessionsMutex);
    finished = s.sessionsDone.wait_for(lock, deadline, [&s] { return s.sessions.empty(); });
  }
  for (auto& guard : s.guards) guard.reset();
  for (auto& loop : s.loops) loop->stop();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
  s.drained = true;
  return finished;
}

HttpServer::~HttpServer() {
  if (impl_ && !impl_->drained) drain(std::chrono::hours(24));
}

}  // namespace bantam::platform
