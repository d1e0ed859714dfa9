#include "heinrich/git/push.hpp"

#include "heinrich/git/git.hpp"
#include "heinrich/util/error.hpp"

namespace heinrich::git {

bool RefUpdate::is_deletion() const {
  return is_zero(new_oid);
}

bool RefUpdate::is_creation() const {
  return is_zero(old_oid);
}

namespace {

std::vector<std::string_view> lines_of(std::string_view input) {
  std::vector<std::string_view> lines;
  while (!input.empty()) {
    const std::size_t end = input.find('\n');
    std::string_view line = input.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) lines.push_back(line);
    if (end == std::string_view::npos) break;
    input.remove_prefix(end + 1);
  }
  return lines;
}

std::string quoted(std::string_view line) {
  return "'" + std::string(line.substr(0, 200)) + "'";
}

}  // namespace

std::vector<RefUpdate> parse_pre_push(std::string_view input) {
  std::vector<RefUpdate> updates;
  for (std::string_view line : lines_of(input)) {
    // Split off the last three fields; what is left is the local ref.
    std::string_view fields[3];
    std::string_view rest = line;
    for (int i = 2; i >= 0; --i) {
      const std::size_t space = rest.rfind(' ');
      if (space == std::string_view::npos)
        throw InputError("pre-push: expected '<local ref> <local oid> <remote ref> <remote oid>', got " +
                         quoted(line));
      fields[i] = rest.substr(space + 1);
      rest = rest.substr(0, space);
    }
    RefUpdate update;
    update.local_ref = std::string(rest);
    update.new_oid = parse_oid(fields[0], "pre-push: local object id");
    update.ref = std::string(fields[1]);
    update.old_oid = parse_oid(fields[2], "pre-push: remote object id");
    if (update.ref.empty()) throw InputError("pre-push: empty remote ref in " + quoted(line));
    updates.push_back(std::move(update));
  }
  return updates;
}

std::vector<RefUpdate> parse_pre_receive(std::string_view input) {
  std::vector<RefUpdate> updates;
  for (std::string_view line : lines_of(input)) {
    const std::size_t first = line.find(' ');
    const std::size_t second = first == std::string_view::npos ? first : line.find(' ', first + 1);
    if (second == std::string_view::npos || second + 1 >= line.size())
      throw InputError("pre-receive: expected '<old oid> <new oid> <ref>', got " + quoted(line));
    RefUpdate update;
    update.old_oid = parse_oid(line.substr(0, first), "pre-receive: old object id");
    update.new_oid = parse_oid(line.substr(first + 1, second - first - 1), "pre-receive: new object id");
    update.ref = std::string(line.substr(second + 1));
    updates.push_back(std::move(update));
  }
  return updates;
}

}  // namespace heinrich::git
