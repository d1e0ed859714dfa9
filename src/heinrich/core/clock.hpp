#pragma once
// The only way code learns "now": tests and HEINRICH_NOW inject a fixed clock.
#include <chrono>

#include "heinrich/core/time.hpp"

namespace heinrich {

class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual Instant now() const = 0;
  [[nodiscard]] virtual bool overridden() const { return false; }
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] Instant now() const override;
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(Instant at) : m_at(at) {}
  [[nodiscard]] Instant now() const override { return m_at; }
  [[nodiscard]] bool overridden() const override { return true; }

 private:
  Instant m_at;
};

// An injected start that then advances in real time: `start` plus the
// monotonic time elapsed since construction, whole seconds. A command that
// waits (`heinrich wait`) needs the clock to move even when HEINRICH_NOW set
// it, so a test can start a few seconds before a window closes and watch it
// close; the monotonic clock keeps a wall-clock step from moving it.
class AdvancingClock final : public Clock {
 public:
  explicit AdvancingClock(Instant start) : m_start(start), m_anchor(std::chrono::steady_clock::now()) {}
  [[nodiscard]] Instant now() const override;
  [[nodiscard]] bool overridden() const override { return true; }

 private:
  Instant m_start;
  std::chrono::steady_clock::time_point m_anchor;
};

}  // namespace heinrich
