# chitin-stamp.cmake: the step after chitin gen in each command that
# chitin_generate adds (chitinConfig.cmake): checks that chitin wrote
# every output the command names, then touches the stamp.
#
#   cmake -DCHITIN_IDL=FILE -DCHITIN_MODULE=NAME -DCHITIN_STAMP=STAMP \
#         -P chitin-stamp.cmake -- OUTPUT...
#
# An output missing after a run that succeeded is one chitin did not name
# as expected: the module in FILE is not named NAME.

set(outputs "")
set(after_dashes FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
	if(after_dashes)
		list(APPEND outputs "${CMAKE_ARGV${i}}")
	elseif(CMAKE_ARGV${i} STREQUAL "--")
		set(after_dashes TRUE)
	endif()
endforeach()

foreach(output IN LISTS outputs)
	if(NOT EXISTS "${output}")
		message(FATAL_ERROR "chitin_generate: chitin gen ${CHITIN_IDL} wrote no ${output}: "
			"is its module named ${CHITIN_MODULE}? If not, pass its name as MODULE")
	endif()
endforeach()
file(TOUCH "${CHITIN_STAMP}")
