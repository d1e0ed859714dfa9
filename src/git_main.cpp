// heinrich-git: the same CLI as heinrich, with the commands that read a git
// repository running in process. heinrich execs it for those commands, so
// only they pay for loading libgit2.
#include "heinrich/cli/commands.hpp"
#include "heinrich/cli/git_commands.hpp"

// Debian's libgit2 is built with mbedTLS, and git_libgit2_init() parses the
// whole system CA bundle (about 5 ms here) for HTTPS that heinrich-git never
// does: it only reads local repositories. Defining the two loaders in the
// executable takes precedence over libmbedx509's (ELF symbol interposition),
// so the trust store stays empty and any TLS connection would fail
// verification instead of being trusted. With an OpenSSL build of libgit2
// these are simply never called. Build with -DHEINRICH_GIT_LOAD_CA_BUNDLE to
// measure the difference (README, "Git hooks").
#ifndef HEINRICH_GIT_LOAD_CA_BUNDLE
extern "C" int mbedtls_x509_crt_parse_file(void* /*chain*/, const char* /*path*/) {
  return 0;
}
extern "C" int mbedtls_x509_crt_parse_path(void* /*chain*/, const char* /*path*/) {
  return 0;
}
#endif

int main(int argc, char** argv) {
  heinrich::cli::use_git_commands();
  return heinrich::cli::run_process(argc, argv);
}
