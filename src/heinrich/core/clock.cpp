#include "heinrich/core/clock.hpp"

namespace heinrich {

Instant SystemClock::now() const {
  return std::chrono::floor<Seconds>(std::chrono::system_clock::now());
}

}  // namespace heinrich
