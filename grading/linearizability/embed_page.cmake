# Turns page.html into a C++ source file holding it as one string, at build time:
#   cmake -DINPUT=page.html -DOUTPUT=visualize_page.cpp -P embed_page.cmake
# The page stays a normal HTML file that editors and browsers open as it is.
file(READ "${INPUT}" page)
string(FIND "${page}" ")LAB_LIN_PAGE\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter used to embed it")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from page.html by embed_page.cmake. Do not edit.\n"
  "namespace lab::linearizability::detail {\n"
  "extern const char kVisualizationPage[];\n"
  "const char kVisualizationPage[] = R\"LAB_LIN_PAGE(${page})LAB_LIN_PAGE\";\n"
  "}  // namespace lab::linearizability::detail\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
