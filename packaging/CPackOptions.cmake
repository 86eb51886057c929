# Read by CPack once per generator: the Debian package installs the tools' component only,
# without the tarball's install.sh.
if(CPACK_GENERATOR STREQUAL "DEB")
    set(CPACK_INSTALL_CMAKE_PROJECTS "${CPACK_DIAG_BINARY_DIR};diag;Unspecified;/")
    set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
else()
    set(CPACK_INSTALL_CMAKE_PROJECTS
        "${CPACK_DIAG_BINARY_DIR};diag;Unspecified;/" "${CPACK_DIAG_BINARY_DIR};diag;tarball;/")
    set(CPACK_PACKAGING_INSTALL_PREFIX /)
endif()
