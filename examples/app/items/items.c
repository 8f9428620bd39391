// The example's JSON API, answering two routes (spin.toml):
//   /api/items      GET: the list (?q=TEXT keeps the items whose name contains TEXT)
//                   POST {"name": "...", "price": 12.5}: checks the item and answers 201 with it
//   /api/items/:id  GET: one item; DELETE: checks that it exists
// The router gives the `:id` segment as X_PATH_MATCH_ID. Each request runs in a fresh instance,
// so nothing survives a request: the list is fixed, and POST and DELETE say so in their answers
// ("stored": false, "deleted": false) rather than pretend.
#include <ctype.h>

#include "cgi.h"

struct item {
  int id;
  const char* name;
  double price;
};

static const struct item kItems[] = {
    {1, "Kettle", 24.50},
    {2, "Teapot", 18.00},
    {3, "Tea cosy", 9.75},
};
static const int kItemCount = sizeof kItems / sizeof kItems[0];
static const char* kStateless = "every request runs in a fresh instance: nothing is stored";

static void print_item(const struct item* it) {
  printf("{\"id\": %d, \"name\": \"", it->id);
  json_escape(it->name);
  printf("\", \"price\": %.2f}", it->price);
}

static const struct item* find_item(const char* id_text) {
  char* end = NULL;
  long id = strtol(id_text, &end, 10);
  if (*id_text == '\0' || *end != '\0') return NULL;
  for (int i = 0; i < kItemCount; ++i) {
    if (kItems[i].id == id) return &kItems[i];
  }
  return NULL;
}

// The value of `key` in a query string ("q=tea&x=1"), undecoded, or NULL.
static const char* query_param(const char* query, const char* key, char* out, size_t cap) {
  size_t key_len = strlen(key);
  for (const char* p = query; *p != '\0';) {
    const char* amp = strchr(p, '&');
    size_t len = amp ? (size_t)(amp - p) : strlen(p);
    if (len > key_len && strncmp(p, key, key_len) == 0 && p[key_len] == '=') {
      size_t n = len - key_len - 1;
      if (n >= cap) n = cap - 1;
      memcpy(out, p + key_len + 1, n);
      out[n] = '\0';
      return out;
    }
    p += len + (amp ? 1 : 0);
  }
  return NULL;
}

static int contains_ignoring_case(const char* haystack, const char* needle) {
  size_t n = strlen(needle);
  for (; *haystack != '\0'; ++haystack) {
    size_t i = 0;
    while (i < n && haystack[i] != '\0' && tolower((unsigned char)haystack[i]) == tolower((unsigned char)needle[i])) ++i;
    if (i == n) return 1;
  }
  return n == 0;
}

static void list_items(void) {
  char q[128];
  const char* filter = query_param(cgi_env("QUERY_STRING"), "q", q, sizeof q);
  printf("Content-Type: application/json\n\n[");
  int first = 1;
  for (int i = 0; i < kItemCount; ++i) {
    if (filter != NULL && !contains_ignoring_case(kItems[i].name, filter)) continue;
    printf(first ? "\n  " : ",\n  ");
    print_item(&kItems[i]);
    first = 0;
  }
  printf("\n]\n");
}

// Finds `"key"` in a flat JSON object and returns a pointer just past the ':' (or NULL).
static const char* json_field(const char* json, const char* key) {
  char quoted[64];
  snprintf(quoted, sizeof quoted, "\"%s\"", key);
  const char* at = strstr(json, quoted);
  if (at == NULL) return NULL;
  at += strlen(quoted);
  while (isspace((unsigned char)*at)) ++at;
  if (*at != ':') return NULL;
  ++at;
  while (isspace((unsigned char)*at)) ++at;
  return at;
}

static void create_item(void) {
  static char body[8192];
  cgi_read_body(body, sizeof body);
  const char* name_at = json_field(body, "name");
  const char* price_at = json_field(body, "price");
  if (name_at == NULL || *name_at != '"' || price_at == NULL) {
    json_error(400, "send a JSON object like {\"name\": \"Mug\", \"price\": 7.5}");
    return;
  }
  char name[128];
  size_t n = 0;
  for (const char* p = name_at + 1; *p != '\0' && *p != '"' && n + 1 < sizeof name; ++p) name[n++] = *p;
  name[n] = '\0';
  char* end = NULL;
  double price = strtod(price_at, &end);
  if (n == 0 || end == price_at || price < 0) {
    json_error(400, "an item needs a non-empty name and a price of 0 or more");
    return;
  }
  struct item created = {kItemCount + 1, name, price};
  printf("Status: 201\nContent-Type: application/json\n\n{\"item\": ");
  print_item(&created);
  printf(", \"stored\": false, \"note\": \"%s\"}\n", kStateless);
}

int main(void) {
  const char* id = getenv("X_PATH_MATCH_ID");
  if (id == NULL) {  // /api/items
    if (cgi_method_is("GET")) {
      list_items();
    } else if (cgi_method_is("POST")) {
      create_item();
    } else {
      printf("Status: 405\nAllow: GET, POST\nContent-Type: application/json\n\n{\"error\": \"use GET or POST\"}\n");
    }
    return 0;
  }
  const struct item* it = find_item(id);  // /api/items/:id
  if (!cgi_method_is("GET") && !cgi_method_is("DELETE")) {
    printf("Status: 405\nAllow: GET, DELETE\nContent-Type: application/json\n\n{\"error\": \"use GET or DELETE\"}\n");
    return 0;
  }
  if (it == NULL) {
    json_error(404, "no such item");
    return 0;
  }
  printf("Content-Type: application/json\n\n");
  if (cgi_method_is("GET")) {
    print_item(it);
    printf("\n");
  } else {
    printf("{\"id\": %d, \"deleted\": false, \"note\": \"%s\"}\n", it->id, kStateless);
  }
  return 0;
}
