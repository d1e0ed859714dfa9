#pragma once
// A fast 64-bit hash of bytes, for naming cache entries and checksumming
// them. Not cryptographic: whatever it names is compared byte for byte.
#include <cstdint>
#include <string_view>

namespace heinrich {

std::uint64_t hash_bytes(std::string_view bytes, std::uint64_t seed = 0);

}  // namespace heinrich
