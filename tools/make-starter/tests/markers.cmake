# papaya-make-starter's checks of the `// @lab N` markers, against the stage
# table: a marker of another lab than the one labs/stages.json lists the file
# under, a lab the course does not have, and a file no stage lists are refused
# (file:line in the message); a file of the right lab gives its starter, and
# --print gives both versions on stdout.
#   cmake -DMAKE_STARTER=... -DWORK=<dir> -DFILE=<a stage file of lab OWN>
#         -DOWN=<its lab> -DOTHER=<another lab> -DLAST=<the last lab> -P markers.cmake
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(failures 0)

# run(<name> <file text> <expected exit status> <regex the output must match>)
function(run name text status regex)
  file(WRITE "${WORK}/${name}" "${text}")
  file(REMOVE "${WORK}/${name}.starter")
  execute_process(COMMAND "${MAKE_STARTER}" "${WORK}/${name}" "${WORK}/${name}.starter"
                  RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(EXISTS "${WORK}/${name}.starter")
    file(READ "${WORK}/${name}.starter" starter)
    string(APPEND out "${starter}")
  endif()
  if(NOT result EQUAL status OR NOT out MATCHES "${regex}")
    message(SEND_ERROR "${name}: expected exit status ${status} and output matching\n  ${regex}\n"
                       "got exit status ${result} and:\n${out}")
  else()
    message(STATUS "ok: ${name}: ${out}")
  endif()
endfunction()

set(body "#include <x>\n\n// @lab LAB: helpers\n// @end\n\nvoid f(int fd)\n{\n    // @lab OWN(fd): write f\n    g(fd);\n    // @end\n}\n")
string(REPLACE "OWN" "${OWN}" body "${body}")
math(EXPR beyond "${LAST} + 1")

# The control: every marker of the file's own lab.
string(REPLACE "LAB" "${OWN}" own "${body}")
run(${FILE} "${own}" 0 "// TODO\\(lab ${OWN}\\): helpers\n.*    todo\\(${OWN}, \"write f\", fd\\);")

string(REPLACE "LAB" "${OTHER}" other "${body}")
run(${FILE} "${other}" 1
    "${FILE}:3: `// @lab ${OTHER}` in ${FILE}, which labs/stages.json lists under lab ${OWN}")

string(REPLACE "LAB" "${beyond}" missing "${body}")
run(${FILE} "${missing}" 1 "${FILE}:3: expected `// @lab N: what` with N in 0..${LAST}")

run(not_a_stage_file.cpp "${own}" 1 "not_a_stage_file.cpp: no stage of labs/stages.json lists not_a_stage_file.cpp")

# --print: the same starter on stdout, and the solution without the markers.
file(WRITE "${WORK}/${FILE}" "${own}// @lab ${OWN}: planted\nbad();\n// @starter\n// worse();\n// @end\n")
execute_process(COMMAND "${MAKE_STARTER}" "${WORK}/${FILE}" "${WORK}/written" COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND "${MAKE_STARTER}" --print starter "${WORK}/${FILE}" OUTPUT_VARIABLE starter COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND "${MAKE_STARTER}" --print solution "${WORK}/${FILE}" OUTPUT_VARIABLE solution COMMAND_ERROR_IS_FATAL ANY)
file(READ "${WORK}/written" written)
if(NOT starter STREQUAL written OR NOT starter MATCHES "\nworse\\(\\);\n$")
  message(SEND_ERROR "--print starter differs from the written starter:\n${starter}\n---\n${written}")
endif()
if(NOT solution STREQUAL "#include <x>\n\n\nvoid f(int fd)\n{\n    g(fd);\n}\nbad();\n")
  message(SEND_ERROR "--print solution is not the solution without the markers:\n${solution}")
endif()
