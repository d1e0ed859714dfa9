# The Debian package: CPack's DEB generator over the normal install rules
# (scripts/package drives it with Debian's hardening flags). CPack rather
# than debhelper: the install rules are already CMake's, there is one
# binary package, and a debian/ source tree would be a second description
# of the same files to keep in step.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME heinrich)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})  # the one place the version is set: project()
set(CPACK_PACKAGE_CONTACT "heinrich developers <heinrich@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "change-window risk checker for deploys and git pushes")
# The synopsis is the summary above; this is the extended description.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "heinrich compares a proposed release (a time, a duration, an environment)
with a TOML policy of freeze windows, allowed windows, risk factors and
calendars (Korean and US public holidays computed from the law, business-day
rules such as paydays, ICS calendars), scores the risk, explains every
contribution and blocks risky deploys: from the command line, in CI, and in
git pre-push and pre-receive hooks.")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # heinrich_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)   # Depends computed by dpkg-shlibdeps
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "git")  # the hooks run inside git
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
include(CPack)
