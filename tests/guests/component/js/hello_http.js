// The hello wasi:http component: StarlingMonkey's fetch event answers every request, echoing
// the body on /echo, the request headers on /headers, an outbound fetch on /fetch?url=..., loops forever on /loop, and a
// greeting with a header the tests look for on any other path.
addEventListener('fetch', (event) =>
  event.respondWith(
    (async () => {
      const url = new URL(event.request.url);
      if (url.pathname.endsWith('/echo')) {
        const body = await event.request.text();
        return new Response(body, {
          status: 201,
          headers: { 'content-type': 'text/plain', 'x-bantam-echo': event.request.method },
        });
      }
      if (url.pathname.endsWith('/fetch')) {
        // Outbound HTTP (wasi:http/outgoing-handler), allowed or denied by the host's policy.
        try {
          const r = await fetch(url.searchParams.get('url'));
          return new Response(`${r.status} ${await r.text()}`, { headers: { 'content-type': 'text/plain' } });
        } catch (e) {
          return new Response(`fetch failed: ${e}\n`, { status: 502 });
        }
      }
      if (url.pathname.endsWith('/loop')) {
        for (;;) {}  // never answers: the host's request timeout must stop it
      }
      if (url.pathname.endsWith('/headers')) {
        const lines = [];
        for (const [k, v] of event.request.headers) lines.push(`${k}: ${v}`);
        return new Response(lines.sort().join('\n') + '\n', { headers: { 'content-type': 'text/plain' } });
      }
      return new Response('Hello from JavaScript!\n', {
        headers: { 'content-type': 'text/plain', 'x-bantam-guest': 'js' },
      });
    })(),
  ),
);
