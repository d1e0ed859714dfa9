#include "heinrich/cli/cancel_signals.hpp"

#include <cerrno>
#include <ctime>
#include <system_error>

namespace heinrich::cli {

CancelSignals::CancelSignals() {
  sigemptyset(&m_signals);
  // One the parent set to be ignored (`nohup`, a background job's SIGINT)
  // stays ignored: blocked, it would be queued for us instead.
  for (const int number : {SIGTERM, SIGINT}) {
    struct sigaction current {};
    if (sigaction(number, nullptr, &current) == 0 && current.sa_handler == SIG_IGN) continue;
    sigaddset(&m_signals, number);
  }
  if (const int error = pthread_sigmask(SIG_BLOCK, &m_signals, &m_old_mask); error != 0)
    throw std::system_error(error, std::generic_category(), "pthread_sigmask");
}

CancelSignals::~CancelSignals() {
  while (!pending().empty()) {
  }
  pthread_sigmask(SIG_SETMASK, &m_old_mask, nullptr);
}

std::string CancelSignals::sleep_for(std::chrono::milliseconds duration) const {
  if (duration < std::chrono::milliseconds{0}) duration = std::chrono::milliseconds{0};
  const auto whole = std::chrono::duration_cast<std::chrono::seconds>(duration);
  const timespec timeout{static_cast<time_t>(whole.count()),
                         static_cast<long>(std::chrono::nanoseconds(duration - whole).count())};
  const int got = sigtimedwait(&m_signals, nullptr, &timeout);
  if (got == SIGTERM) return "SIGTERM";
  if (got == SIGINT) return "SIGINT";
  // EAGAIN: the time is up; EINTR: another signal (SIGCONT after a stop)
  // woke us, and the caller's deadline loop sleeps again.
  return {};
}

}  // namespace heinrich::cli
