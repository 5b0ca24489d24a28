# Installs libjepsen and exports the CMake package used by find_package(jepsen).
include(CMakePackageConfigHelpers)

install(TARGETS jepsen_core EXPORT jepsenTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/libjepsen/include/jepsen
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT jepsenTargets NAMESPACE jepsen::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/jepsen)

configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/jepsenConfig.cmake.in
  ${PROJECT_BINARY_DIR}/jepsenConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/jepsen)
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/jepsenConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/jepsenConfig.cmake
              ${PROJECT_BINARY_DIR}/jepsenConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/jepsen)
