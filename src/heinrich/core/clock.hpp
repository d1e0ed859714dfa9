#pragma once
// The only way code learns "now": tests and HEINRICH_NOW inject a fixed clock.
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

}  // namespace heinrich
