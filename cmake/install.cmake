# Installing and packaging. `cmake --install BUILD [--prefix P]` puts under P:
#   bin/caravan
#   lib/…/libcaravan_<module>.a, include/caravan/*.h,
#   lib/…/cmake/caravan/caravanConfig.cmake (+ exported targets caravan::…)
#   share/caravan/central-asia   the dataset      } found by the installed
#   share/caravan/web            the web map      } program beside itself
#   share/man/man1/caravan.1, share/bash-completion/completions/caravan,
#   share/zsh/{vendor-completions,site-functions}/_caravan
# `make package` in the build folder (CPack) makes caravan_<version>_<arch>.deb
# of the same files under /usr.
include(CMakePackageConfigHelpers)

set(CARAVAN_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/caravan)
set(CARAVAN_INSTALL_DATASET ${CMAKE_INSTALL_DATADIR}/caravan/central-asia)
set(CARAVAN_INSTALL_WEB ${CMAKE_INSTALL_DATADIR}/caravan/web)

install(TARGETS caravan_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The library: every module, and caravan::caravan that bundles them.
set(caravan_module_targets caravan_core caravan_network caravan_scenario caravan_route caravan_stochastic
    caravan_matrix caravan_sim caravan_synth caravan_sweep caravan_request caravan_present caravan_server)
install(TARGETS ${caravan_module_targets} caravan EXPORT caravanTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/caravan DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT caravanTargets NAMESPACE caravan:: DESTINATION ${CARAVAN_CMAKE_DIR})
configure_package_config_file(cmake/caravanConfig.cmake.in ${PROJECT_BINARY_DIR}/caravanConfig.cmake
                              INSTALL_DESTINATION ${CARAVAN_CMAKE_DIR}
                              PATH_VARS CARAVAN_INSTALL_DATASET CARAVAN_INSTALL_WEB)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/caravanConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/caravanConfig.cmake ${PROJECT_BINARY_DIR}/caravanConfigVersion.cmake
        DESTINATION ${CARAVAN_CMAKE_DIR})

install(DIRECTORY data/central-asia DESTINATION ${CMAKE_INSTALL_DATADIR}/caravan)
if(TARGET caravan_web)
  install(DIRECTORY ${PROJECT_BINARY_DIR}/web-ui/ DESTINATION ${CARAVAN_INSTALL_WEB})
endif()

# The man page and the completions, written by the built program from its own
# option definitions (src/cli/shell_command.cc).
set(shell_docs ${PROJECT_BINARY_DIR}/shell-docs)
set(run_to_file ${PROJECT_SOURCE_DIR}/cmake/run_to_file.cmake)
add_custom_command(
  OUTPUT ${shell_docs}/caravan.1 ${shell_docs}/caravan.bash ${shell_docs}/_caravan
  COMMAND ${CMAKE_COMMAND} -E make_directory ${shell_docs}
  COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:caravan_cli> -DARGS=manpage -DOUT=${shell_docs}/caravan.1 -P ${run_to_file}
  COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:caravan_cli> "-DARGS=completion bash" -DOUT=${shell_docs}/caravan.bash
          -P ${run_to_file}
  COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:caravan_cli> "-DARGS=completion zsh" -DOUT=${shell_docs}/_caravan
          -P ${run_to_file}
  DEPENDS caravan_cli ${run_to_file}
  COMMENT "Writing caravan.1 and the bash and zsh completions"
  VERBATIM)
add_custom_target(caravan_shell_docs ALL DEPENDS ${shell_docs}/caravan.1 ${shell_docs}/caravan.bash ${shell_docs}/_caravan)
install(FILES ${shell_docs}/caravan.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${shell_docs}/caravan.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME caravan)
# zsh reads vendor-completions for packages under /usr (Debian) and
# site-functions elsewhere (/usr/local); the prefix is known only at install time.
install(CODE "
  if(CMAKE_INSTALL_PREFIX MATCHES \"(^|/)usr$\")
    set(caravan_zsh_dir \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions\")
  else()
    set(caravan_zsh_dir \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/zsh/site-functions\")
  endif()
  file(INSTALL DESTINATION \"\${caravan_zsh_dir}\" TYPE FILE FILES \"${shell_docs}/_caravan\")
")

# The Debian package (`make package`).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME caravan)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "plan, price and stress-test container freight across Central Asia")
set(CPACK_PACKAGE_DESCRIPTION
    "caravan plans, prices and stress-tests freight across the corridors linking China, Central Asia,\n"
    "the Caspian, Europe and Iran: the `caravan` command, its HTTP server and web map, the default\n"
    "dataset, and the C++ library with its CMake package.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "caravan maintainers")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Opening hours and local times need the system's time zone database.
set(CPACK_DEBIAN_PACKAGE_DEPENDS tzdata)
set(CPACK_STRIP_FILES ON)
include(CPack)
