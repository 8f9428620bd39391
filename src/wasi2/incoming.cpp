// Calling a component's wasi:http/incoming-handler#handle with one request and collecting the
// response it set through its response-outparam (or streaming it to the request's sink).
#include <cctype>

#include "wasi2/http.h"

namespace bantam::wasi2 {

std::expected<OutgoingHttpResponse, HandlerFailure> callIncomingHandler(component::ComponentInstance& instance,
                                                                        Wasi2Ctx& ctx,
                                                                        const component::ComponentFunc& handle,
                                                                        IncomingHttpRequest request) {
  Wasi2Ctx::Scope scope(ctx);
  instance.hostData = &ctx;
  auto req = std::make_shared<IncomingRequestObj>();
  req->methodCase = methodCaseOf(request.method);
  if (req->methodCase == 9) req->methodOther = request.method;
  if (request.scheme == "http") req->schemeCase = 0;
  else if (request.scheme == "https") req->schemeCase = 1;
  else req->schemeCase = 2, req->schemeOther = request.scheme;
  req->authority = std::move(request.authority);
  req->pathWithQuery = std::move(request.pathWithQuery);
  req->headers = std::move(request.headers);
  req->body = std::make_shared<const std::string>(std::move(request.body));
  req->trailers = std::move(request.trailers);
  req->source = std::move(request.bodySource);
  auto slot = std::make_shared<ResponseSlot>();
  slot->sink = std::move(request.sink);
  auto out = std::make_shared<ResponseOutparamObj>();
  out->slot = slot;

  uint32_t reqRep = ctx.table().add(std::move(req));
  uint32_t outRep = ctx.table().add(std::move(out));
  if (reqRep == UINT32_MAX || outRep == UINT32_MAX) return std::unexpected(HandlerFailure{std::nullopt, "the resource table is full"});
  auto r = instance.call(handle, {Value::own(ctx.host().incomingRequest, reqRep), Value::own(ctx.host().responseOutparam, outRep)});
  if (!r) return std::unexpected(HandlerFailure{std::move(r.error()), {}});
  if (!slot->set) return std::unexpected(HandlerFailure{std::nullopt, "the component returned without setting a response"});
  if (!slot->response) return std::unexpected(HandlerFailure{std::nullopt, "the component answered with the error " + slot->error});

  OutgoingHttpResponse resp;
  resp.status = slot->response->status;
  resp.headers = std::move(slot->response->headers);
  for (auto& [k, v] : resp.headers)
    for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  BodyBuffer& body = *slot->response->body;
  resp.body = std::move(body.data);
  resp.streamed = body.sink != nullptr;
  resp.finished = body.finished;
  if (body.trailers) resp.trailers = std::move(*body.trailers);
  return resp;
}

}  // namespace bantam::wasi2
