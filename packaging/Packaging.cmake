# What `cmake --install` puts where, and the two packages CPack makes from it: a tarball with
# an install script (TGZ) and a Debian package (DEB). The Debian package's dependencies come
# from dpkg-shlibdeps on the built tools, so they match the libraries actually linked.
include(GNUInstallDirs)

set(DIAG_TOOLS diag diag-sys diag-report diag-smart diag-logs diag-nic diag-mem diag-core diag-top)

# Man pages and the Debian changelog are installed gzipped (gzip -9n: no name or time stamp, so
# the bytes depend only on the text), as Debian policy asks.
find_program(DIAG_GZIP gzip REQUIRED)
file(GLOB DIAG_MAN_PAGES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/man/*.[1-9])
set(DIAG_GZIPPED)
foreach(page ${DIAG_MAN_PAGES} ${PROJECT_SOURCE_DIR}/packaging/changelog)
    get_filename_component(name ${page} NAME)
    set(gz ${PROJECT_BINARY_DIR}/gz/${name}.gz)
    add_custom_command(OUTPUT ${gz}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/gz
        COMMAND ${DIAG_GZIP} -9nc ${page} > ${gz}
        DEPENDS ${page} VERBATIM)
    list(APPEND DIAG_GZIPPED ${gz})
    if(name MATCHES "[.]([1-9])$")
        install(FILES ${gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${CMAKE_MATCH_1})
    endif()
endforeach()
add_custom_target(diag_gzipped ALL DEPENDS ${DIAG_GZIPPED})
install(FILES ${PROJECT_BINARY_DIR}/gz/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})

# bash-completion loads a completion by the command's name: one copy per command.
foreach(tool ${DIAG_TOOLS})
    install(FILES ${PROJECT_SOURCE_DIR}/completions/diag.bash
            DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME ${tool})
endforeach()

# systemd units for the node exporter's textfile collector, under PREFIX/lib/systemd/system
# (/usr/lib/systemd/system in the package; Debian 12's merged /usr makes that /lib's too).
install(FILES ${PROJECT_SOURCE_DIR}/deploy/prometheus/diag-textfile.service
              ${PROJECT_SOURCE_DIR}/deploy/prometheus/diag-textfile.timer
        DESTINATION lib/systemd/system)

# The fleet pieces, ready to copy: alert rules, dashboard, Nagios and Icinga commands, the
# Ansible playbook and fact, the Kubernetes DaemonSet and its loop.
set(DIAG_SHARE ${CMAKE_INSTALL_DATADIR}/diag)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/prometheus/diag-alerts.yml
              ${PROJECT_SOURCE_DIR}/deploy/prometheus/grafana-dashboard.json
              ${PROJECT_SOURCE_DIR}/deploy/prometheus/README.md
        DESTINATION ${DIAG_SHARE}/prometheus)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/nagios/diag-nrpe.cfg
              ${PROJECT_SOURCE_DIR}/deploy/nagios/diag-icinga2.conf
              ${PROJECT_SOURCE_DIR}/deploy/nagios/README.md
        DESTINATION ${DIAG_SHARE}/nagios)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/ansible/site.yml
              ${PROJECT_SOURCE_DIR}/deploy/ansible/README.md
        DESTINATION ${DIAG_SHARE}/ansible)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/ansible/templates/summary.md.j2
        DESTINATION ${DIAG_SHARE}/ansible/templates)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/deploy/ansible/diag.fact DESTINATION ${DIAG_SHARE}/ansible)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/kubernetes/diag-daemonset.yaml
              ${PROJECT_SOURCE_DIR}/deploy/kubernetes/README.md
        DESTINATION ${DIAG_SHARE}/kubernetes)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/deploy/kubernetes/diag-loop
        DESTINATION ${DIAG_SHARE}/kubernetes)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME diag)
set(CPACK_PACKAGE_VENDOR "the diag project")
set(CPACK_PACKAGE_CONTACT "diag maintainers <maintainers@diag.example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "troubleshooting and diagnostics for failing Linux boxes")
set(CPACK_PACKAGE_DESCRIPTION
    "diag finds out what is wrong with a Linux machine and keeps the evidence:\n"
    "SMART health of ATA, NVMe and SAS disks, NIC error counters by layer,\n"
    "memory error history and a memory tester, backtraces from core dumps and\n"
    "hung processes, and one classified timeline of the system, kernel and web\n"
    "server logs. Outputs text, JSON, Nagios plugin lines and Prometheus metrics.")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_FILE_NAME "diag-${PROJECT_VERSION}-linux-${CMAKE_SYSTEM_PROCESSOR}")
set(CPACK_GENERATOR "TGZ;DEB")

# Tarball: the install tree under diag-VERSION-linux-ARCH/, with install.sh at its top. The
# script is its own component, which the Debian package leaves out (packaging/CPackOptions.cmake).
install(PROGRAMS ${PROJECT_SOURCE_DIR}/packaging/install.sh DESTINATION . COMPONENT tarball
        EXCLUDE_FROM_ALL)
set(CPACK_DIAG_BINARY_DIR ${PROJECT_BINARY_DIR})
set(CPACK_PROJECT_CONFIG_FILE ${PROJECT_SOURCE_DIR}/packaging/CPackOptions.cmake)

# Debian package.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# python3 for the Ansible fact script (usr/share/diag/ansible/diag.fact).
set(CPACK_DEBIAN_PACKAGE_DEPENDS python3)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "prometheus-node-exporter, bash-completion")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "smartmontools, elfutils")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.invalid/diag")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
