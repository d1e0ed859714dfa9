#pragma once
// SIGTERM and SIGINT (a CI job cancelled, Ctrl-C) held pending while a
// command waits, so that its one blocking sleep receives them: no handler,
// no flag, no race between looking at a flag and going to sleep, and no CPU
// while asleep.
#include <chrono>
#include <string>

#include <signal.h>

namespace heinrich::cli {

class CancelSignals {
 public:
  CancelSignals();  // blocks them for this thread (heinrich has no other)
  // Takes any still pending, then restores the old mask, so a signal that
  // came after the last look can never kill the process with a status
  // outside the contract.
  ~CancelSignals();
  CancelSignals(const CancelSignals&) = delete;
  CancelSignals& operator=(const CancelSignals&) = delete;

  // Sleeps up to `duration`; the name of the signal that ended it early
  // ("SIGTERM", "SIGINT"), else "".
  [[nodiscard]] std::string sleep_for(std::chrono::milliseconds duration) const;
  // One that arrived while the command was busy, without sleeping; else "".
  [[nodiscard]] std::string pending() const { return sleep_for(std::chrono::milliseconds{0}); }

 private:
  sigset_t m_signals{};
  sigset_t m_old_mask{};
};

}  // namespace heinrich::cli
