# LuaSource.cmake -- finds the Lua 5.4 source of the reference VM, copies it
# into the build directory and defines the object library 'lvt_lua54': one
# translation unit (vm/ref/lvt_lua54.c) that includes every Lua .c file with
# the Lua API made static, plus the adapter the rest of lvtest calls.
#
# Where the source comes from, first found wins:
#   -DLVT_LUA_SRC=<dir|tarball>, $LVT_LUA_SRC, the bootstrap's cache
#   ($LVT_CACHE_DIR or ${XDG_CACHE_HOME:-~/.cache}/lvtest, then src/lua5.4).
# A directory may be a Lua tree (with src/) or the src/ directory itself; a
# tarball (.tar.gz, .tgz, .tar.xz) is unpacked into the build directory.

set(_src "${LVT_LUA_SRC}")
if(NOT _src AND DEFINED ENV{LVT_LUA_SRC})
  set(_src "$ENV{LVT_LUA_SRC}")
endif()
if(NOT _src)
  if(DEFINED ENV{LVT_CACHE_DIR})
    set(_cache "$ENV{LVT_CACHE_DIR}")
  elseif(DEFINED ENV{XDG_CACHE_HOME})
    set(_cache "$ENV{XDG_CACHE_HOME}/lvtest")
  else()
    set(_cache "$ENV{HOME}/.cache/lvtest")
  endif()
  set(_src "${_cache}/src/lua5.4")
endif()
if(NOT EXISTS "${_src}")
  message(FATAL_ERROR
    "lvtest: no Lua 5.4 source for the reference VM at '${_src}'.\n"
    "Run ci/bootstrap (fetches Debian's lua5.4 source package), or pass "
    "-DLVT_LUA_SRC=<dir or .tar.gz> / set LVT_LUA_SRC.")
endif()

# Unpack a tarball into the build directory.
if(NOT IS_DIRECTORY "${_src}")
  set(_unpack "${CMAKE_BINARY_DIR}/lua54-unpack")
  file(REMOVE_RECURSE "${_unpack}")
  file(ARCHIVE_EXTRACT INPUT "${_src}" DESTINATION "${_unpack}")
  file(GLOB_RECURSE _lapi "${_unpack}/*/lapi.c" "${_unpack}/lapi.c")
  list(LENGTH _lapi _n)
  if(NOT _n EQUAL 1)
    message(FATAL_ERROR "lvtest: '${_src}' does not unpack to one Lua source tree (found ${_n} lapi.c)")
  endif()
  get_filename_component(_srcdir "${_lapi}" DIRECTORY)
elseif(EXISTS "${_src}/src/lapi.c")
  set(_srcdir "${_src}/src")
elseif(EXISTS "${_src}/lapi.c")
  set(_srcdir "${_src}")
else()
  message(FATAL_ERROR "lvtest: '${_src}' is not a Lua source tree (no src/lapi.c or lapi.c)")
endif()

# Version check: the adapter is written against the 5.4 API.
file(STRINGS "${_srcdir}/lua.h" _vlines REGEX "#define LUA_VERSION_(MAJOR|MINOR|RELEASE)[ \t]")
string(REGEX MATCH "MAJOR[ \t]+\"([0-9]+)\"" _m "${_vlines}")
set(_maj "${CMAKE_MATCH_1}")
string(REGEX MATCH "MINOR[ \t]+\"([0-9]+)\"" _m "${_vlines}")
set(_min "${CMAKE_MATCH_1}")
string(REGEX MATCH "RELEASE[ \t]+\"([0-9]+)\"" _m "${_vlines}")
set(_rel "${CMAKE_MATCH_1}")
if(NOT "${_maj}.${_min}" STREQUAL "5.4")
  message(FATAL_ERROR "lvtest: the reference VM needs Lua 5.4 source; '${_srcdir}' is Lua ${_maj}.${_min}")
endif()
set(LVT_LUA54_VERSION "${_maj}.${_min}.${_rel}" CACHE INTERNAL "")

# Copy into the build directory: the build never depends on the cache again.
set(LVT_LUA54_DIR "${CMAKE_BINARY_DIR}/lua54" CACHE INTERNAL "")
file(GLOB _files "${_srcdir}/*.c" "${_srcdir}/*.h")
file(REMOVE_RECURSE "${LVT_LUA54_DIR}")
file(COPY ${_files} DESTINATION "${LVT_LUA54_DIR}")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_files})

# Debian's patched luaconf.h includes a header its build generates; the
# paths it sets only matter for C modules, which lvtest's sandbox disables.
file(STRINGS "${LVT_LUA54_DIR}/luaconf.h" _multiarch REGEX "#include \"lua[0-9.]*-deb-multiarch.h\"")
if(_multiarch)
  string(REGEX MATCH "lua[0-9.]*-deb-multiarch.h" _mh "${_multiarch}")
  if(NOT EXISTS "${LVT_LUA54_DIR}/${_mh}")
    set(_arch "${CMAKE_LIBRARY_ARCHITECTURE}")
    if(NOT _arch)
      set(_arch "unknown")
    endif()
    file(WRITE "${LVT_LUA54_DIR}/${_mh}"
         "/* written by lvtest's cmake/LuaSource.cmake */\n#define DEB_HOST_MULTIARCH \"${_arch}\"\n")
  endif()
endif()
message(STATUS "lvtest: reference VM from Lua ${LVT_LUA54_VERSION} at ${_srcdir}")

add_library(lvt_lua54 OBJECT ${CMAKE_SOURCE_DIR}/vm/ref/lvt_lua54.c)
target_include_directories(lvt_lua54 PRIVATE ${LVT_LUA54_DIR} ${CMAKE_SOURCE_DIR})
target_compile_definitions(lvt_lua54 PRIVATE LVT_LUA54_VERSION="${LVT_LUA54_VERSION}")
if(LVT_LUAI_ASSERT)
  target_compile_definitions(lvt_lua54 PRIVATE LUAI_ASSERT LUA_USE_APICHECK)
endif()
# Upstream code: its own warnings are not ours to fix.
target_compile_options(lvt_lua54 PRIVATE -w)
set_property(TARGET lvt_lua54 PROPERTY POSITION_INDEPENDENT_CODE ON)
