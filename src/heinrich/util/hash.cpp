#include "heinrich/util/hash.hpp"

#include <cstring>

namespace heinrich {

namespace {

// The 64x64->128-bit multiply-and-fold of the wyhash family: every input
// bit reaches every output bit in one step, at memory speed.
std::uint64_t fold_multiply(std::uint64_t a, std::uint64_t b) {
  __extension__ using Wide = unsigned __int128;
  const Wide product = static_cast<Wide>(a) * b;
  return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64U);
}

std::uint64_t load(const char* bytes) {
  std::uint64_t word = 0;
  std::memcpy(&word, bytes, sizeof word);
  return word;
}

constexpr std::uint64_t kSecret0 = 0xa0761d6478bd642fULL;
constexpr std::uint64_t kSecret1 = 0xe7037ed1a0b428dbULL;
constexpr std::uint64_t kSecret2 = 0x8ebc6af09c88c6e3ULL;

}  // namespace

std::uint64_t hash_bytes(std::string_view bytes, std::uint64_t seed) {
  std::uint64_t state = fold_multiply(seed ^ kSecret0, bytes.size() ^ kSecret1);
  const char* at = bytes.data();
  std::size_t left = bytes.size();
  for (; left >= 16; left -= 16, at += 16)
    state = fold_multiply(load(at) ^ kSecret1, load(at + 8) ^ state ^ kSecret2);
  char tail[16] = {};
  if (left > 0) std::memcpy(tail, at, left);
  state = fold_multiply(load(tail) ^ kSecret1 ^ left, load(tail + 8) ^ state ^ kSecret2);
  return fold_multiply(state ^ kSecret0, bytes.size() ^ kSecret2);
}

}  // namespace heinrich
