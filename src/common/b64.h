/*
 * b64.h - the base64 alphabets (RFC 4648): the standard one, which
 * Engine.IO's long-polling uses for binary, and the URL-safe one of JSON
 * Web Tokens.  Each decoder keeps its own rules (padding, canonical
 * spelling); this is the one table of values.  Pure.
 */
#ifndef GEOROOM_B64_H
#define GEOROOM_B64_H

/* The value of character 'c' in the standard alphabet ('+', '/'), or in
 * the URL-safe one ('-', '_') when 'url' is set; -1 when not in it. */
int b64_value(unsigned char c, int url);

#endif
