# cmake -DPROGRAM=exe "-DARGS=a b" -DOUT=file -P run_to_file.cmake
# Runs PROGRAM with ARGS and writes its stdout to OUT, failing the build when
# the program fails (so a broken generator never installs an empty file).
separate_arguments(args UNIX_COMMAND "${ARGS}")
execute_process(COMMAND "${PROGRAM}" ${args} OUTPUT_FILE "${OUT}.tmp" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE "${OUT}.tmp")
  message(FATAL_ERROR "${PROGRAM} ${ARGS} failed: ${rc}")
endif()
file(RENAME "${OUT}.tmp" "${OUT}")
