#include "heinrich/util/build_id.hpp"

#include <elf.h>
#include <link.h>

#include <cstring>
#include <filesystem>

namespace heinrich {

namespace {

std::size_t align4(std::size_t size) {
  return (size + 3U) & ~std::size_t{3};
}

std::string hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4U];
    out += kDigits[bytes[i] & 15U];
  }
  return out;
}

// The NT_GNU_BUILD_ID note among an object's loaded PT_NOTE segments.
std::string build_id_of(const dl_phdr_info& object) {
  for (int i = 0; i < object.dlpi_phnum; ++i) {
    const ElfW(Phdr)& header = object.dlpi_phdr[i];
    if (header.p_type != PT_NOTE) continue;
    const auto* at = reinterpret_cast<const unsigned char*>(object.dlpi_addr + header.p_vaddr);
    const unsigned char* end = at + header.p_memsz;
    while (static_cast<std::size_t>(end - at) >= sizeof(ElfW(Nhdr))) {
      ElfW(Nhdr) note;
      std::memcpy(&note, at, sizeof note);
      const unsigned char* name = at + sizeof note;
      const std::size_t name_size = align4(note.n_namesz);
      if (static_cast<std::size_t>(end - name) < name_size) break;
      const unsigned char* description = name + name_size;
      const std::size_t description_size = align4(note.n_descsz);
      if (static_cast<std::size_t>(end - description) < description_size) break;
      if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0)
        return hex(description, note.n_descsz);
      at = description + description_size;
    }
  }
  return {};
}

struct Search {
  std::initializer_list<std::string_view> libraries;
  BuildIds found;
  bool first = true;
};

int visit(dl_phdr_info* object, std::size_t, void* data) {
  auto& search = *static_cast<Search*>(data);
  // The program comes first, with an empty name.
  if (search.first) {
    search.first = false;
    search.found.program = build_id_of(*object);
    return 0;
  }
  const std::string name =
      object->dlpi_name != nullptr ? std::filesystem::path(object->dlpi_name).filename().string() : "";
  for (const std::string_view wanted : search.libraries)
    if (name.find(wanted) != std::string::npos) {
      search.found.libraries += name + "=" + build_id_of(*object) + ";";
      break;
    }
  return 0;
}

}  // namespace

BuildIds loaded_build_ids(std::initializer_list<std::string_view> libraries) {
  Search search{libraries, {}, true};
  dl_iterate_phdr(visit, &search);
  return search.found;
}

}  // namespace heinrich
