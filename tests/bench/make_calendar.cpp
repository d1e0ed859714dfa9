// usage: heinrich_make_calendar FILE [EVENTS]   (default 10,000 events)
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "support/big_calendar.hpp"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: heinrich_make_calendar FILE [EVENTS]\n";
    return 2;
  }
  const long events = argc == 3 ? std::strtol(argv[2], nullptr, 10) : 10'000;
  if (events <= 0) {
    std::cerr << "EVENTS must be a positive number\n";
    return 2;
  }
  std::ofstream out(argv[1], std::ios::binary);
  out << heinrich::test::make_big_calendar(static_cast<std::size_t>(events));
  return out.good() ? 0 : 1;
}
