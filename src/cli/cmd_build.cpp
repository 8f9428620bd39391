// `bantam build [-f FILE|DIR] [-c ID]...`: runs each component's `build.command` (or each of its
// commands, in order) with `sh -c` in its `workdir`, as `spin build` does, streaming the
// command's output and stopping at the first one that fails.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "cli/commands.h"

namespace bantam::cli {

namespace fs = std::filesystem;

namespace {

// Runs `command` with /bin/sh in `workdir`; its stdout and stderr are ours. Returns the exit
// status, or an error describing a failure to start or a death by signal.
Result<int> runShell(const std::string& command, const fs::path& workdir) {
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) return fail(ErrorKind::Io, std::string("cannot start a shell: ") + std::strerror(errno));
  if (pid == 0) {
    if (chdir(workdir.c_str()) != 0) {
      std::fprintf(stderr, "bantam: cannot enter %s: %s\n", workdir.c_str(), std::strerror(errno));
      _exit(127);
    }
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    std::fprintf(stderr, "bantam: cannot run /bin/sh: %s\n", std::strerror(errno));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return fail(ErrorKind::Io, std::string("waiting for the build: ") + std::strerror(errno));
  }
  if (WIFSIGNALED(status)) {
    return fail(ErrorKind::Usage, "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
                                      strsignal(WTERMSIG(status)) + ")");
  }
  return WEXITSTATUS(status);
}

std::string shownPath(const fs::path& p) {
  std::error_code ec;
  fs::path rel = fs::relative(p, fs::current_path(ec), ec);
  return !ec && !rel.empty() && !rel.string().starts_with("..") ? rel.string() : p.string();
}

}  // namespace

int buildComponents(const platform::App& app, const std::vector<std::string>& only) {
  for (const std::string& id : only) {
    if (!app.components.contains(id)) {
      std::string known;
      for (const auto& [name, c] : app.components) known += (known.empty() ? "" : ", ") + name;
      Error e = Error::make(ErrorKind::Usage, "the app has no component `" + id + "`");
      e.hint = "its components are: " + known;
      printError(e);
      return 1;
    }
  }
  size_t built = 0;
  for (const auto& [id, component] : app.components) {
    bool wanted = only.empty() || std::find(only.begin(), only.end(), id) != only.end();
    if (!wanted) continue;
    if (!component.build) {
      if (!only.empty()) std::printf("Component %s has no build command: nothing to do\n", id.c_str());
      continue;
    }
    const platform::BuildConfig& b = *component.build;
    std::error_code ec;
    if (!fs::is_directory(b.workdir, ec)) {
      printError(Error::make(ErrorKind::Usage, "the build workdir of component " + id + ", " + shownPath(b.workdir) +
                                                   ", is not a folder"));
      return 1;
    }
    if (b.commands.size() == 1) {
      std::printf("Building component %s with `%s`\n", id.c_str(), b.commands[0].c_str());
    } else {
      std::printf("Building component %s (%zu commands)\n", id.c_str(), b.commands.size());
    }
    for (size_t i = 0; i < b.commands.size(); ++i) {
      const std::string& command = b.commands[i];
      if (b.commands.size() > 1) std::printf("Running build step %zu/%zu for component %s with `%s`\n", i + 1,
                                             b.commands.size(), id.c_str(), command.c_str());
      auto status = runShell(command, b.workdir);
      if (!status || *status != 0) {
        std::string why = status ? "failed with exit status " + std::to_string(*status) : status.error().message;
        Error e = Error::make(ErrorKind::Usage, "build command for component " + id + " " + why);
        e.hint = "the command was `" + command + "`, run in " + shownPath(b.workdir);
        printError(e);
        return 1;
      }
    }
    ++built;
  }
  if (built == 0 && only.empty()) {
    std::printf("None of the components have a build command.\n");
  } else if (built > 0) {
    std::printf("Finished building %s\n", only.empty() ? "all components" : "the components asked for");
  }
  std::fflush(stdout);
  return 0;
}

int cmdBuild(const BuildOptions& options) {
  platform::LoadOptions load;
  load.expandFiles = false;  // a build may produce the files the component mounts
  auto app = platform::loadApp(options.from.empty() ? fs::path(".") : fs::path(options.from), load);
  if (!app) {
    printError(app.error());
    return 1;
  }
  printWarnings(*app);
  return buildComponents(*app, options.components);
}

}  // namespace bantam::cli
