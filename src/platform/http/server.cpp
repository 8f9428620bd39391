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
    headerFields_ = static_cast<size_t>(std::distance(req.begin(), req.end()));
    if (server_.options.streamBody && !parser_->is_done()) {
      HttpRequest head = takeRequest(/*withBody=*/false);
      if (server_.options.streamBody(head)) return startStreamedBody(std::move(head));
    }
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
    // Beast adds a chunked body's trailer fields after the header's: those past the count the
    // header had are the trailers.
    size_t i = 0;
    for (const auto& field : req) {
      HeaderList& to = withBody && i++ >= headerFields_ ? r.trailers : r.headers;
      to.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    if (withBody) r.body = std::move(req.body());
    r.remoteAddr = remoteAddr_;
    r.remotePort = remotePort_;
    return r;
  }

  // ServerOptions::streamBody: the handler gets the request now and its body as it arrives.
  void startStreamedBody(HttpRequest request) {
    auto& req = parser_->get();
    keepAlive_ = req.keep_alive();
    version_ = req.version();
    head_ = req.method() == http::verb::head;
    bool expectContinue = beast::iequals(req[http::field::expect], "100-continue");
    bodyStream_ = std::make_shared<RequestBody>();
    bodyDone_ = false;
    request.bodyStream = bodyStream_;
    std::weak_ptr<Session> weak = shared_from_this();
    auto executor = this->executor();
    bodyStream_->setWake([weak, executor] {
      asio::post(executor, [weak] {
        if (auto live = weak.lock()) live->resumeBody();
      });
    });
    server_.handlers[which_](std::move(request), [self = shared_from_this()](HttpResponse response) {
      asio::dispatch(self->executor(),
                     [self, response = std::move(response)]() mutable { self->write(std::move(response)); });
    });
    if (!expectContinue) return readBodySome();
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->failBody();
                        self->readBodySome();
                      });
  }

  // Reads more of a streamed body unless the consumer is behind (RequestBody::kMaxQueued).
  void readBodySome() {
    if (!bodyStream_ || bodyDone_ || bodyReading_) return;
    if (parser_->is_done()) {
      // Beast puts a chunked body's trailer fields after the header's.
      HeaderList trailers;
      size_t i = 0;
      for (const auto& field : parser_->get())
        if (i++ >= headerFields_) trailers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      bodyStream_->end(std::move(trailers));
      bodyDone_ = true;
      return;
    }
    if (bodyStream_->queued() >= RequestBody::kMaxQueued) {
      bodyPaused_ = true;
      return;
    }
    bodyReading_ = true;
    http::async_read_some(socket_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      self->bodyReading_ = false;
      if (!self->bodyStream_) return;
      std::string& body = self->parser_->get().body();
      if (!body.empty()) {
        self->bodyStream_->push(std::move(body));
        body = std::string();
      }
      if (ec) return self->failBody();  // over the limit, or the client went away
      self->readBodySome();
    });
  }

  void resumeBody() {
    if (!bodyPaused_) return;
    bodyPaused_ = false;
    readBodySome();
  }

  void failBody() {
    if (bodyStream_) bodyStream_->fail();
    bodyDone_ = true;
    bodyCut_ = true;
  }

  // After a response: the next request, unless the connection cannot carry one (a streamed
  // body not read to its end).
  void nextRequest(bool keep) {
    bool unread = bodyStream_ && (!bodyDone_ || bodyCut_);
    if (bodyStream_) {
      if (!bodyDone_) bodyStream_->fail();
      bodyStream_->setWake(nullptr);
      bodyStream_.reset();
    }
    bodyDone_ = true;
    bodyCut_ = bodyPaused_ = false;
    if (!keep || unread) return close();
    readHeader();
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
    if (r.status < 200 || r.status > 999) {
      if (r.stream) r.stream->discard();
      r = HttpResponse::text(502, "Bad Gateway\n");
    }
    if (r.stream) return writeStreamed(std::move(r));
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
      if (ec) return self->close();
      self->nextRequest(keep);
    });
  }

  // A streamed body (HttpResponse::stream): the head now, then each push as a chunk as it comes
  // (the stream wakes this loop), then the last chunk with the trailers. A guest that set its
  // own content-length gets its bytes sent as they are, without chunks (and without trailers).
  void writeStreamed(HttpResponse r) {
    stream_ = std::move(r.stream);
    auto& res = headResponse_;
    res = {};
    res.version(version_ == 10 ? 10 : 11);
    res.result(r.status);
    std::string_view date = httpDate();
    res.set(http::field::date, beast::string_view(date.data(), date.size()));
    bool ownLength = false;
    declaredLength_ = UINT64_MAX;
    streamedBytes_ = 0;
    for (auto& [name, value] : r.headers) {
      if (beast::iequals(name, "transfer-encoding")) continue;
      if (beast::iequals(name, "content-length")) {
        ownLength = true;
        uint64_t n = 0;
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (ec == std::errc() && p == value.data() + value.size()) declaredLength_ = n;
      }
      res.insert(beast::string_view(name), beast::string_view(value));
    }
    bool noBody = head_ || r.status == 204 || r.status == 304;
    keepStreamed_ = keepAlive_ && !server_.draining.load(std::memory_order_relaxed);
    chunkedOut_ = !noBody && !ownLength && version_ != 10;
    if (!noBody && !ownLength && version_ == 10) keepStreamed_ = false;  // the body ends with the connection
    if (noBody) {
      res.erase(http::field::content_length);
      stream_->discard();
    }
    res.keep_alive(keepStreamed_);
    if (chunkedOut_) res.chunked(true);
    headSerializer_.emplace(res);
    http::async_write_header(socket_, *headSerializer_, [self = shared_from_this(), noBody](beast::error_code ec, size_t) {
      if (ec) return self->endStreamed(ec);
      if (noBody) return self->endStreamed({});
      // The wake keeps the session alive while the body streams (no read or write may be in
      // flight meanwhile); endStreamed() drops it, so the cycle ends with the response.
      auto executor = self->executor();
      self->stream_->setWake([self, executor] { asio::post(executor, [self] { self->pump(); }); });
      self->pump();
    });
  }

  // Writes what the stream has queued; called again when a write completes or the stream wakes.
  void pump() {
    if (!stream_ || writing_) return;
    BodyStream::Taken t = stream_->take();
    if (t.aborted) return endStreamed(asio::error::connection_aborted);  // the client sees a cut body
    if (t.data.empty()) {
      if (t.ended) writeLastChunk(std::move(t.trailers));
      return;
    }
    writing_ = true;
    chunk_ = std::move(t.data);
    endAfterChunk_ = t.ended;
    trailersAfterChunk_ = std::move(t.trailers);
    streamedBytes_ += chunk_.size();
    auto done = [self = shared_from_this()](beast::error_code ec, size_t) {
      self->writing_ = false;
      if (self->stream_) self->stream_->written(self->chunk_.size());
      if (ec) return self->endStreamed(ec);
      if (self->endAfterChunk_) return self->writeLastChunk(std::move(self->trailersAfterChunk_));
      self->pump();
    };
    if (chunkedOut_) asio::async_write(socket_, http::make_chunk(asio::buffer(chunk_)), std::move(done));
    else asio::async_write(socket_, asio::buffer(chunk_), std::move(done));
  }

  void writeLastChunk(HeaderList trailers) {
    if (!chunkedOut_) {
      // A guest's own content-length that its body did not match leaves the connection unusable.
      if (declaredLength_ != UINT64_MAX && declaredLength_ != streamedBytes_) keepStreamed_ = false;
      return endStreamed({});
    }
    trailerFields_ = {};
    for (auto& [name, value] : trailers) trailerFields_.insert(beast::string_view(name), beast::string_view(value));
    writing_ = true;
    asio::async_write(socket_, http::make_chunk_last(trailerFields_), [self = shared_from_this()](beast::error_code ec, size_t) {
      self->writing_ = false;
      self->endStreamed(ec);
    });
  }

  void endStreamed(beast::error_code ec) {
    if (stream_) {
      stream_->setWake(nullptr);
      if (ec) stream_->discard();  // the producer runs on and its bytes are dropped
      stream_.reset();
    }
    headSerializer_.reset();
    chunk_.clear();
    if (ec) return close();
    nextRequest(keepStreamed_);
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
  // The streamed response in progress (writeStreamed).
  std::shared_ptr<BodyStream> stream_;
  http::response<http::empty_body> headResponse_;
  std::optional<http::response_serializer<http::empty_body>> headSerializer_;
  std::string chunk_;
  HeaderList trailersAfterChunk_;
  http::fields trailerFields_;
  size_t headerFields_ = 0;  // fields the request's header had (the rest are trailers)
  // A request body streamed to the handler (startStreamedBody).
  std::shared_ptr<RequestBody> bodyStream_;
  bool bodyDone_ = true, bodyReading_ = false, bodyPaused_ = false, bodyCut_ = false;
  uint64_t declaredLength_ = UINT64_MAX, streamedBytes_ = 0;  // a guest's content-length, what went
  bool writing_ = false, endAfterChunk_ = false, chunkedOut_ = false, keepStreamed_ = false;
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
