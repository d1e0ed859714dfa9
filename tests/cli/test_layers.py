"""The architecture: each folder of src/heinrich/ is one CMake library, and a
folder includes only its own headers and those of the libraries its
CMakeLists.txt links (transitively). The link lines are the one statement of
the layering; this test holds every #include to them, so a lower layer that
reaches up fails here even when it happens to link."""
import os
import re
import tempfile
import unittest

from harness import SOURCE_DIR

SRC = os.path.join(SOURCE_DIR, "src", "heinrich")
INCLUDE = re.compile(r'^\s*#\s*include\s+"heinrich/([a-z_]+)/([^"]+)"', re.M)
LINK_BLOCK = re.compile(r"target_link_libraries\(\s*heinrich_([a-z_]+)(.*?)\)", re.S)


def folders(src=SRC):
    return sorted(name for name in os.listdir(src)
                  if os.path.isfile(os.path.join(src, name, "CMakeLists.txt")))


def direct_dependencies(src=SRC):
    """{folder: {folders it links}} from each folder's CMakeLists.txt."""
    graph = {}
    for folder in folders(src):
        with open(os.path.join(src, folder, "CMakeLists.txt"), encoding="utf-8") as handle:
            text = handle.read()
        block = LINK_BLOCK.search(text)
        assert block and block.group(1) == folder, f"{folder}/CMakeLists.txt links no heinrich_{folder}"
        graph[folder] = set(re.findall(r"\bheinrich_([a-z_]+)\b", block.group(2)))
    return graph


def layering_violations(src=SRC):
    """Every #include of a folder that its link line does not reach."""
    graph = direct_dependencies(src)
    violations = []
    for folder in graph:
        allowed = reachable(graph, folder) | {folder}
        directory = os.path.join(src, folder)
        for name in sorted(os.listdir(directory)):
            if not name.endswith((".cpp", ".hpp", ".inc")):
                continue
            with open(os.path.join(directory, name), encoding="utf-8") as handle:
                text = handle.read()
            for match in INCLUDE.finditer(text):
                if match.group(1) not in allowed:
                    line = text.count("\n", 0, match.start()) + 1
                    violations.append(f"{folder}/{name}:{line}: includes "
                                      f"heinrich/{match.group(1)}/{match.group(2)}")
    return violations


def reachable(graph, folder):
    seen, todo = set(), [folder]
    while todo:
        for dependency in graph.get(todo.pop(), ()):
            if dependency not in seen:
                seen.add(dependency)
                todo.append(dependency)
    return seen


class Layers(unittest.TestCase):
    def test_every_folder_is_a_library_of_its_own_sources(self):
        for folder in folders():
            with open(os.path.join(SRC, folder, "CMakeLists.txt"), encoding="utf-8") as handle:
                listed = set(re.findall(r"^\s+([a-z_0-9]+\.cpp)\b", handle.read(), re.M))
            present = {name for name in os.listdir(os.path.join(SRC, folder)) if name.endswith(".cpp")}
            self.assertEqual(present, listed, f"{folder}/CMakeLists.txt must list exactly the folder's sources")

    def test_the_link_graph_has_no_cycle(self):
        graph = direct_dependencies()
        for folder in graph:
            self.assertNotIn(folder, reachable(graph, folder), f"{folder} depends on itself")

    def test_includes_point_down_the_link_graph(self):
        graph = direct_dependencies()
        self.assertEqual(graph["util"], set(), "util/ is the bottom layer")
        self.assertNotIn("git", reachable(graph, "cli"), "heinrich must not link libgit2")
        self.assertEqual(layering_violations(), [])

    def test_a_header_that_reaches_up_is_reported(self):
        with tempfile.TemporaryDirectory() as src:
            for folder, links, include in (("util", "PUBLIC fmt::fmt", "util/text.hpp"),
                                           ("core", "PUBLIC heinrich_util", "util/text.hpp"),
                                           ("extra", "PUBLIC heinrich_util", "core/zone.hpp")):
                os.makedirs(os.path.join(src, folder))
                with open(os.path.join(src, folder, "CMakeLists.txt"), "w", encoding="utf-8") as handle:
                    handle.write(f"add_library(heinrich_{folder} STATIC a.cpp)\n"
                                 f"target_link_libraries(heinrich_{folder}\n  {links})\n")
                with open(os.path.join(src, folder, "a.cpp"), "w", encoding="utf-8") as handle:
                    handle.write(f'#include <string>\n#include "heinrich/{include}"\n')
            self.assertEqual(layering_violations(src), ["extra/a.cpp:2: includes heinrich/core/zone.hpp"])


if __name__ == "__main__":
    unittest.main()
