// The JavaScript half of the composed JS + C app: a wasi:http handler whose answer comes from
// the C library it imports (bantam:compose/text, linked by `bantam up` from the manifest's
// `[component.<id>.dependencies]`). GET /...?text=abc answers "ABC (calls: 1)": the C shout of
// `text` and how many times this request's library instance ran it.
import { shout, calls } from 'bantam:compose/text@0.1.0';

addEventListener('fetch', (event) =>
  event.respondWith(
    (async () => {
      const url = new URL(event.request.url);
      const text = url.searchParams.get('text') ?? 'hello from js';
      const loud = shout(text);
      return new Response(`${loud} (calls: ${calls()})\n`, {
        headers: { 'content-type': 'text/plain', 'x-bantam-composed': 'js+c' },
      });
    })(),
  ),
);
