// `bantam new [TEMPLATE NAME] [-o DIR] [--description TEXT] [--http-path ROUTE]`: creates a Spin
// application from one of the embedded templates (templates/<name>/content), filling in its
// placeholders as Spin's templates do: {{project-name}}, {{project-name | kebab_case}},
// {{project-name | snake_case}}, {{project-description}}, {{http-path}}, and {{http-base}} (the
// route without a trailing "/..."). Other {{ ... }} (Spin variable expressions) are kept.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/commands.h"
#include "cli/templates.h"
#include "platform/manifest/ids.h"

namespace bantam::cli {

namespace fs = std::filesystem;

namespace {

// "Hello World" / "hello_world" / "HelloWorld" -> words joined by `sep`, lowercase.
std::string joinWords(std::string_view name, char sep) {
  std::string out;
  bool pendingSep = false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      pendingSep = !out.empty();
      continue;
    }
    bool upper = c >= 'A' && c <= 'Z';
    // camelCase boundary: "helloWorld" -> "hello-world"
    if (upper && i > 0 && name[i - 1] >= 'a' && name[i - 1] <= 'z') pendingSep = true;
    if (pendingSep) out += sep;
    pendingSep = false;
    out += upper ? char(c - 'A' + 'a') : c;
  }
  return out;
}

struct Values {
  std::string name, kebab, snake, description, httpPath, httpBase;
};

std::string render(std::string_view text, const Values& v) {
  std::string out;
  out.reserve(text.size() + 64);
  size_t at = 0;
  while (true) {
    size_t open = text.find("{{", at);
    if (open == std::string_view::npos) break;
    size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    std::string_view inner = text.substr(open + 2, close - open - 2);
    auto trim = [](std::string_view s) {
      while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
      while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
      return s;
    };
    std::string_view var = inner, filter;
    if (size_t bar = inner.find('|'); bar != std::string_view::npos) {
      var = inner.substr(0, bar);
      filter = trim(inner.substr(bar + 1));
    }
    var = trim(var);
    const std::string* value = nullptr;
    if (var == "project-name") {
      value = filter == "kebab_case" ? &v.kebab : filter == "snake_case" ? &v.snake : filter.empty() ? &v.name : nullptr;
    } else if (filter.empty()) {
      if (var == "project-description") value = &v.description;
      if (var == "http-path") value = &v.httpPath;
      if (var == "http-base") value = &v.httpBase;
    }
    out.append(text.substr(at, open - at));
    if (value != nullptr) {
      out += *value;
    } else {
      out.append(text.substr(open, close + 2 - open));  // not ours: a Spin expression, kept
    }
    at = close + 2;
  }
  out.append(text.substr(at));
  return out;
}

int listTemplates(FILE* to) {
  std::fprintf(to, "Templates:\n");
  for (const Template& t : projectTemplates()) {
    std::fprintf(to, "  %-10.*s %.*s\n", int(t.name.size()), t.name.data(), int(t.description.size()),
                 t.description.data());
  }
  std::fprintf(to, "Create an application with: bantam new TEMPLATE NAME\n");
  return 0;
}

}  // namespace

int cmdNew(const NewOptions& options) {
  if (options.templateName.empty()) return listTemplates(stdout);
  const Template* chosen = nullptr;
  for (const Template& t : projectTemplates()) {
    if (t.name == options.templateName) chosen = &t;
  }
  if (chosen == nullptr) {
    printError(Error::make(ErrorKind::Usage, "no template named `" + options.templateName + "`"));
    listTemplates(stderr);
    return 1;
  }
  if (options.name.empty()) {
    printError(Error::make(ErrorKind::Usage, "give the application a name: bantam new " + options.templateName + " NAME"));
    return 1;
  }

  Values v;
  v.name = options.name;
  v.kebab = joinWords(options.name, '-');
  v.snake = joinWords(options.name, '_');
  if (auto why = platform::manifest::checkKebabId(v.kebab)) {
    Error e = Error::make(ErrorKind::Usage, "`" + options.name + "` cannot name a component (`" + v.kebab + "`: " + *why + ")");
    e.hint = "start the name with a letter and use letters, digits and dashes";
    printError(e);
    return 1;
  }
  v.description = options.description;
  v.httpPath = options.httpPath.empty() ? "/..." : options.httpPath;
  if (!v.httpPath.starts_with('/')) v.httpPath = "/" + v.httpPath;
  v.httpBase = v.httpPath;
  if (v.httpBase.ends_with("/...")) v.httpBase.resize(v.httpBase.size() - 4);
  if (v.httpBase.empty()) v.httpBase = "/";

  fs::path dir = options.output.empty() ? fs::path(options.name) : fs::path(options.output);
  std::error_code ec;
  if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec))) {
    Error e = Error::make(ErrorKind::Usage, dir.string() + " already exists");
    e.hint = "choose another name, or another folder with -o DIR";
    printError(e);
    return 1;
  }
  for (const TemplateFile& f : chosen->files) {
    fs::path target = dir / std::string(f.path);
    fs::create_directories(target.parent_path(), ec);
    if (ec) {
      printError(Error::make(ErrorKind::Io, "cannot create " + target.parent_path().string() + ": " + ec.message()));
      return 1;
    }
    std::ofstream out(target, std::ios::binary);
    std::string text = render(f.content, v);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) {
      printError(Error::make(ErrorKind::Io, "cannot write " + target.string()));
      return 1;
    }
  }
  std::printf("Created %s from the %.*s template in %s\n", options.name.c_str(), int(chosen->name.size()),
              chosen->name.data(), dir.string().c_str());
  std::printf("Next: cd %s && bantam up --build\n", dir.string().c_str());
  return 0;
}

}  // namespace bantam::cli
