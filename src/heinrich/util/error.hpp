#pragma once
#include <stdexcept>
#include <string>

namespace heinrich {

// Bad user input (arguments, values, files): exit status 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace heinrich
