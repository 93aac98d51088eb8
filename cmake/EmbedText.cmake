# Turns a text file into a C++ source defining `const char <SYMBOL>[]` in <NAMESPACE>, holding
# the file's text. Run as a build step (cmake -P), so an edit of the text file rebuilds it:
#   cmake -DINPUT=page.html -DOUTPUT=page.cpp -DSYMBOL=kPage -DNAMESPACE=lab::testing -P ...
# The text goes in as raw string literals of at most 8000 characters each (compilers limit the
# length of one literal, not of their concatenation); it must not contain ")lab_embed".
file(READ "${INPUT}" text)
string(FIND "${text}" ")lab_embed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the delimiter )lab_embed\" and cannot be embedded")
endif()
string(LENGTH "${text}" length)
set(body "")
set(offset 0)
while(offset LESS length)
  string(SUBSTRING "${text}" ${offset} 8000 chunk)
  string(APPEND body "R\"lab_embed(${chunk})lab_embed\"\n")
  math(EXPR offset "${offset} + 8000")
endwhile()
if(body STREQUAL "")
  set(body "\"\"")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by cmake/EmbedText.cmake: edit that file instead.\n"
  "namespace ${NAMESPACE} {\nextern const char ${SYMBOL}[];\nconst char ${SYMBOL}[] =\n${body};\n}\n")
# Only a changed text touches the output, so an unchanged page recompiles nothing.
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
