// CLI11 without <iostream>'s start-up cost: the one place the CLI includes CLI/CLI.hpp.
//
// With GCC 12's libstdc++ every translation unit that includes <iostream> carries a static
// std::ios_base::Init, which builds the standard streams and the classic locale before main().
// CLI11 is the only includer in the `bantam` executable, and that initialiser cost an empty
// `bantam run` about 0.1 ms and 17 page faults (perf stat: an empty static-libstdc++ C++
// program 0.83 ms with <iostream>, 0.73 ms without). So the streams are declared here, as
// libstdc++'s <iostream> declares them, without the initialiser; main() constructs a
// std::ios_base::Init before CLI11 parses anything (cli11StreamsReady()). `bantam run`'s fast
// path never touches the standard streams (errors go through stdio).
#pragma once

#include <istream>  // (first: defines __GLIBCXX__)
#include <ostream>

#if defined(__GLIBCXX__) && !defined(_GLIBCXX_IOSTREAM)
#define _GLIBCXX_IOSTREAM 1
namespace std _GLIBCXX_VISIBILITY(default) {
_GLIBCXX_BEGIN_NAMESPACE_VERSION
extern istream cin;
extern ostream cout;
extern ostream cerr;
extern ostream clog;
extern wistream wcin;
extern wostream wcout;
extern wostream wcerr;
extern wostream wclog;
_GLIBCXX_END_NAMESPACE_VERSION
}  // namespace std
#endif

#include <CLI/CLI.hpp>

namespace bantam::cli {
// Initialises the standard streams (once); call before CLI11 may print.
inline void cli11StreamsReady() { static std::ios_base::Init init; }
}  // namespace bantam::cli
