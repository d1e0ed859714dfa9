#include "heinrich/core/clock.hpp"

namespace heinrich {

Instant SystemClock::now() const {
  return std::chrono::floor<Seconds>(std::chrono::system_clock::now());
}

Instant AdvancingClock::now() const {
  return m_start + std::chrono::floor<Seconds>(std::chrono::steady_clock::now() - m_anchor);
}

}  // namespace heinrich
