# Script mode: writes OUT, a C++ file holding the bytes of IN as `const unsigned char NAME[]`
# (NUL-terminated) and its length as NAME_size.
file(READ "${IN}" content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE "${OUT}" "// Generated from ${IN}; do not edit.\n"
                    "extern const unsigned char ${NAME}[];\n"
                    "extern const unsigned long ${NAME}_size;\n"
                    "const unsigned char ${NAME}[] = {${bytes} 0};\n"
                    "const unsigned long ${NAME}_size = sizeof(${NAME}) - 1;\n")
