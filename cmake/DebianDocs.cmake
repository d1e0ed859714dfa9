# What Debian policy asks of an installed package beyond the normal install:
# manual pages compressed with gzip -9n (no name or time stamp, so builds are
# reproducible), /usr/share/doc/heinrich/copyright and changelog.gz,
# and the lintian overrides, each explained in the file. The package is
# native (its version is the project's, with no Debian revision), so its
# changelog is changelog.gz, not changelog.Debian.gz.
set(HEINRICH_DEBIAN_DIR ${CMAKE_BINARY_DIR}/debian)
configure_file(${PROJECT_SOURCE_DIR}/cmake/debian/changelog.in ${HEINRICH_DEBIAN_DIR}/changelog @ONLY)
# The copyright file names the header-only libraries compiled into the
# binaries with their terms, copied from the Debian packages they came from.
set(HEINRICH_COMPILED_IN libcli11-dev libtomlplusplus-dev nlohmann-json3-dev)
add_custom_command(
  OUTPUT ${HEINRICH_DEBIAN_DIR}/copyright ${HEINRICH_DEBIAN_DIR}/changelog.gz
         ${HEINRICH_DEBIAN_DIR}/man1/heinrich.1.gz ${HEINRICH_DEBIAN_DIR}/man5/heinrich.toml.5.gz
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/debian-docs ${HEINRICH_DEBIAN_DIR} ${CMAKE_BINARY_DIR}/share/man
          ${PROJECT_SOURCE_DIR}/cmake/debian/copyright.in ${HEINRICH_COMPILED_IN}
  DEPENDS heinrich_reference ${HEINRICH_DEBIAN_DIR}/changelog ${PROJECT_SOURCE_DIR}/cmake/debian/copyright.in
          ${PROJECT_SOURCE_DIR}/scripts/debian-docs
  COMMENT "Debian documentation: compressed manual pages, copyright, changelog")
add_custom_target(heinrich_debian_docs ALL DEPENDS ${HEINRICH_DEBIAN_DIR}/copyright)
install(DIRECTORY ${HEINRICH_DEBIAN_DIR}/man1 ${HEINRICH_DEBIAN_DIR}/man5 DESTINATION ${CMAKE_INSTALL_MANDIR})
install(FILES ${HEINRICH_DEBIAN_DIR}/copyright ${HEINRICH_DEBIAN_DIR}/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/heinrich)
install(FILES ${PROJECT_SOURCE_DIR}/cmake/debian/lintian-overrides
        DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME heinrich)
