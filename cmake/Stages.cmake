# Reads labs/stages.json, the one description of the course's stages, and
# makes it available to every part of the build:
#   - CMake variables: PAPAYA_STAGE_COUNT, PAPAYA_LAST_STAGE, and per stage N
#     PAPAYA_STAGE_<N>_SLUG, PAPAYA_STAGE_<N>_FOLDER (labs/NN-slug) and
#     PAPAYA_STAGE_<N>_FILES (its stage files in solutions/server, labs/server);
#     PAPAYA_STAGE_FILES, the files of every stage in stage order;
#   - papaya_stage_of_file(<file> <out-var>): the stage whose files name <file>;
#   - a C++ header, <build>/generated/include/papaya/stages.hpp (papaya::stages);
#   - a Go file for goref, <build>/generated/goref/stages_gen.go, of which
#     tools/goref/stages_gen.go is a copy (plain `go build` works there; the
#     test goref_stage_table fails when the copy is stale).
# Editing labs/stages.json re-runs CMake (CMAKE_CONFIGURE_DEPENDS).
set(PAPAYA_STAGES_JSON "${PROJECT_SOURCE_DIR}/labs/stages.json")
set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${PAPAYA_STAGES_JSON}")
file(READ "${PAPAYA_STAGES_JSON}" _papaya_json)

# papaya_stage_json(<out-var> <member>...): a member of the description, or a
# configure error naming the member that is missing.
function(papaya_stage_json out)
  string(JSON value ERROR_VARIABLE error GET "${_papaya_json}" ${ARGN})
  if(error)
    message(FATAL_ERROR "labs/stages.json: ${error}")
  endif()
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

# A C++ or Go string literal of <text> (both read \" and \\ the same way).
function(papaya_string_literal out text)
  string(REPLACE "\\" "\\\\" text "${text}")
  string(REPLACE "\"" "\\\"" text "${text}")
  set(${out} "\"${text}\"" PARENT_SCOPE)
endfunction()

string(JSON PAPAYA_STAGE_COUNT LENGTH "${_papaya_json}" stages)
papaya_stage_json(PAPAYA_DEFAULT_STAGE default_stage)
math(EXPR PAPAYA_LAST_STAGE "${PAPAYA_STAGE_COUNT} - 1")

set(PAPAYA_STAGE_FILES "")
set(_cpp_stages "")
set(_go_stages "")
foreach(n RANGE ${PAPAYA_LAST_STAGE})
  papaya_stage_json(slug stages ${n} slug)
  if(n LESS 10)
    set(PAPAYA_STAGE_${n}_FOLDER "labs/0${n}-${slug}")
  else()
    set(PAPAYA_STAGE_${n}_FOLDER "labs/${n}-${slug}")
  endif()
  set(PAPAYA_STAGE_${n}_SLUG "${slug}")
  if(NOT IS_DIRECTORY "${PROJECT_SOURCE_DIR}/${PAPAYA_STAGE_${n}_FOLDER}")
    message(FATAL_ERROR "labs/stages.json: stage ${n}'s folder ${PAPAYA_STAGE_${n}_FOLDER} does not exist")
  endif()

  string(JSON file_count LENGTH "${_papaya_json}" stages ${n} files)
  set(files "")
  set(cpp_files "")
  set(go_files "")
  math(EXPR last_file "${file_count} - 1")
  foreach(i RANGE ${last_file})
    papaya_stage_json(file stages ${n} files ${i})
    list(APPEND files "${file}")
    string(APPEND cpp_files "\"${file}\", ")
  endforeach()
  list(TRANSFORM files PREPEND "\"" OUTPUT_VARIABLE go_files)
  list(TRANSFORM go_files APPEND "\"")
  list(JOIN go_files ", " go_files)
  set(PAPAYA_STAGE_${n}_FILES "${files}")
  list(APPEND PAPAYA_STAGE_FILES ${files})

  string(JSON client_count LENGTH "${_papaya_json}" stages ${n} compare_clients)
  set(clients "")
  math(EXPR last_client "${client_count} - 1")
  foreach(i RANGE ${last_client})
    papaya_stage_json(c stages ${n} compare_clients ${i})
    string(APPEND clients "${c}, ")
  endforeach()

  foreach(feature concurrent echo multicast authenticate)
    papaya_stage_json(${feature} stages ${n} features ${feature})
    if(${feature})
      set(${feature} true)
    else()
      set(${feature} false)
    endif()
  endforeach()
  # How concurrent clients are served (C++ only: goref is goroutines at every stage).
  papaya_stage_json(engine stages ${n} features engine)
  if(engine STREQUAL "processes")
    set(engine "Engine::processes")
  elseif(engine STREQUAL "threads")
    set(engine "Engine::threads")
  elseif(engine STREQUAL "event-loop")
    set(engine "Engine::event_loop")
  else()
    message(FATAL_ERROR "labs/stages.json: stage ${n}'s engine \"${engine}\" is not processes, threads or event-loop")
  endif()
  foreach(field title server workload compare_explain)
    papaya_stage_json(value stages ${n} ${field})
    papaya_string_literal(${field} "${value}")
  endforeach()
  papaya_string_literal(slug_literal "${slug}")
  papaya_string_literal(folder_literal "${PAPAYA_STAGE_${n}_FOLDER}")

  string(APPEND _cpp_stages "    Stage{${n}, ${slug_literal}, ${folder_literal}, ${title}, ${server}, detail::stage_${n}_files,
          StageFeatures{${concurrent}, ${echo}, ${multicast}, ${authenticate}, ${engine}}, ${workload}, detail::stage_${n}_clients,
          ${compare_explain}},
")
  string(APPEND _cpp_arrays "inline constexpr std::string_view stage_${n}_files[] = {${cpp_files}};
inline constexpr int stage_${n}_clients[] = {${clients}};
")
  string(APPEND _go_stages "\t{${n}, ${slug_literal}, ${folder_literal}, ${title}, ${server}, []string{${go_files}},
\t\tfeatures{${concurrent}, ${echo}, ${multicast}, ${authenticate}}, ${workload}},
")
endforeach()

# papaya_stage_of_file(<file> <out-var>): the stage that lists <file>.
function(papaya_stage_of_file file out)
  foreach(n RANGE ${PAPAYA_LAST_STAGE})
    if("${file}" IN_LIST PAPAYA_STAGE_${n}_FILES)
      set(${out} ${n} PARENT_SCOPE)
      return()
    endif()
  endforeach()
  message(FATAL_ERROR "labs/stages.json: no stage lists the stage file ${file}")
endfunction()

set(PAPAYA_GENERATED_INCLUDE_DIR "${PROJECT_BINARY_DIR}/generated/include")
file(CONFIGURE OUTPUT "${PAPAYA_GENERATED_INCLUDE_DIR}/papaya/stages.hpp" CONTENT [=[
#pragma once
/// @file
/// @brief The course's stages, generated from labs/stages.json by
/// cmake/Stages.cmake at configure time: edit the JSON, not this file.

#include "papaya/stage.hpp"

#include <array>
#include <span>
#include <string_view>

namespace papaya {

/// One stage of the course: lab N, its guide, its files and its server.
struct Stage {
    int number;                               ///< N: `--stage N`, tests/labN, suite LabN.*.
    std::string_view slug;                    ///< e.g. "blocking-echo".
    std::string_view folder;                  ///< e.g. "labs/00-blocking-echo" (its README.md is the guide).
    std::string_view title;                   ///< e.g. "a blocking echo server".
    std::string_view server;                  ///< What the server does at this stage, in a few words.
    std::span<const std::string_view> files;  ///< The stage files students write (labs/server/).
    StageFeatures features;                   ///< What `--stage N` switches on.
    std::string_view workload;                ///< papaya-bench's workload: "echo", "append" or "chat".
    std::span<const int> compare_clients;     ///< `tools/course compare N`'s default client counts.
    std::string_view compare_explain;         ///< What the numbers of `compare N` mean.
};

namespace detail {
@_cpp_arrays@} // namespace detail

/// Every stage, in order: stages[N].number == N.
inline constexpr std::array<Stage, @PAPAYA_STAGE_COUNT@> stages{
@_cpp_stages@};

/// The last stage's number.
inline constexpr int last_stage = static_cast<int>(stages.size()) - 1;

/// What the servers run without `--stage` (labs/stages.json: default_stage).
inline constexpr int default_stage = @PAPAYA_DEFAULT_STAGE@;
static_assert(default_stage >= 0 && default_stage <= last_stage, "labs/stages.json: default_stage is not a stage");

} // namespace papaya
]=] @ONLY)

set(PAPAYA_GENERATED_GO "${PROJECT_BINARY_DIR}/generated/goref/stages_gen.go")
file(CONFIGURE OUTPUT "${PAPAYA_GENERATED_GO}" CONTENT [=[
// Code generated from labs/stages.json by cmake/Stages.cmake; DO NOT EDIT.

package main

// stages is the course's stage table: stages[N] is lab N.
var stages = []stage{
@_go_stages@}

// defaultStage is what the server runs without --stage.
const defaultStage = @PAPAYA_DEFAULT_STAGE@
]=] @ONLY)
